import type { QueryClient, QueryKey } from '@tanstack/react-query';

/**
 * API calls started at start-up, before the signed-in shell (and the query cache, which comes
 * with it and stays out of the first download) exists: the settings and the account for
 * App.tsx, the first page's reads for the shell's query cache, which adopts them when it is made.
 * Dropped whenever the signed-in person may change (a refused token, signing out or in).
 */
const calls = new Map<string, Promise<unknown>>();
const reads = new Map<string, { queryKey: QueryKey; promise: Promise<unknown> }>();

/** Starts `start` once under `name` (until taken or forgotten). */
export function startEarly<T>(name: string, start: () => Promise<T>): void {
  if (calls.has(name)) return;
  const promise = start();
  promise.catch(() => undefined);
  calls.set(name, promise);
}

/** The call started under `name`, once; undefined when there is none. */
export function takeEarly<T>(name: string): Promise<T> | undefined {
  const promise = calls.get(name) as Promise<T> | undefined;
  calls.delete(name);
  return promise;
}

/**
 * A query's read (from api/queries.ts), started ahead of the query cache. Those queries read only
 * the signal from their context: this one gets a signal nothing aborts.
 */
export function readEarly(options: { queryKey: QueryKey; queryFn?: unknown }): void {
  const hash = JSON.stringify(options.queryKey);
  if (reads.has(hash)) return;
  const read = options.queryFn as (context: { signal: AbortSignal }) => Promise<unknown>;
  const promise = read({ signal: new AbortController().signal });
  promise.catch(() => undefined);
  reads.set(hash, { queryKey: options.queryKey, promise });
}

/** Hands the reads started so far to a new query cache: its queries find them in flight or done. */
export function adoptEarlyReads(client: QueryClient): void {
  for (const { queryKey, promise } of reads.values()) void client.prefetchQuery({ queryKey, queryFn: () => promise });
  reads.clear();
}

/** Drops every early call: they were made for a token that is no longer the one in use. */
export function forgetEarly(): void {
  calls.clear();
  reads.clear();
}
