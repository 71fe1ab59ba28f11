import { useId } from 'react';
import { Link, makeStyles, Text, tokens } from '@fluentui/react-components';
import { FormattedMessage, useIntl } from 'react-intl';
import { queries } from '../../api/queries';
import { useApi } from '../../app/ApiContext';
import { useLoad } from '../../app/useLoad';
import { Heading } from '../../ui/Heading';
import { Loaded } from '../../ui/Loaded';

/** The latest rooms linked from the home page; the practice page lists them all. */
const SHOWN = 3;

const useStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  muted: { color: tokens.colorNeutralForeground3 },
});

/** Practice rooms on the manager's home, once they are in one: links to the latest and to their practice. */
export function PracticeSection({ userId }: { userId: string }) {
  const styles = useStyles();
  const intl = useIntl();
  const api = useApi();
  const id = useId();
  const [load, reload] = useLoad(queries.myRooms(api));
  // Nothing to show until there is a room: the coach opens them at role-play sessions.
  if (load.kind === 'loading' || (load.kind === 'ready' && load.data.length === 0)) return null;
  return (
    <section className={styles.section} aria-labelledby={id}>
      <Heading level={2} id={id}>
        <FormattedMessage id="manager.practice.title" />
      </Heading>
      <Loaded
        load={load}
        inline
        loading={intl.formatMessage({ id: 'manager.practice.loading' })}
        failed={intl.formatMessage({ id: 'manager.practice.loadFailed' })}
        onRetry={reload}
      >
        {(rooms) => (
          <>
            <ul className={styles.list}>
              {rooms.slice(0, SHOWN).map((room) => (
                <li key={room.id}>
                  <Link href={`#/practice?room=${encodeURIComponent(room.id)}`}>
                    {intl.formatMessage({ id: 'manager.practice.room' }, { number: room.number, session: room.sessionTitle })}
                  </Link>
                  <Text className={styles.muted}>
                    {` ${intl.formatMessage(
                      { id: 'manager.practice.with' },
                      { names: room.members.filter((m) => m.userId !== userId).map((m) => m.name).join(', ') },
                    )}`}
                  </Text>
                </li>
              ))}
            </ul>
            <Link href="#/practice">
              <FormattedMessage id="manager.practice.all" />
            </Link>
          </>
        )}
      </Loaded>
    </section>
  );
}
