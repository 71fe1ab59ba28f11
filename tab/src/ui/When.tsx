import { formatDateTime, formatFromNow } from '../lib/datetime';

/** "5 min ago" / "in 55 min", with the full date and time on hover. */
export function When({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatFromNow(iso)}
    </time>
  );
}
