import { errorMessage } from '../api/client';

/** What a page shows of something it reads: a spinner, the error, or the data. */
export type Load<T> =
  | { kind: 'loading' }
  | { kind: 'error'; message: string; status: number | null }
  | { kind: 'ready'; data: T };

/** The error state for a failed fetch, with the HTTP status where there was one. */
export function loadFailed(error: unknown): Load<never> {
  const status =
    error && typeof error === 'object' && 'status' in error && typeof error.status === 'number'
      ? error.status
      : null;
  return { kind: 'error', message: errorMessage(error), status };
}
