import { useCallback } from 'react';
import type { ApiClient } from '../../../api/client';
import type { DirectoryFacetsResponse } from '../../../api/types';
import { useApi } from '../../../app/ApiContext';
import { useLoad, type Load } from '../../../app/useLoad';

/** How long the org units, job levels and zones are reused before they are fetched again. */
const FRESH_MS = 60_000;

const cache = new WeakMap<ApiClient, { at: number; data: DirectoryFacetsResponse }>();

/**
 * The organisation's org units and job levels (with head counts) and the zones in use. Kept for a
 * minute per client, so that moving between the design form's steps does not fetch them again.
 */
export function useDirectoryFacets(): [Load<DirectoryFacetsResponse>, () => void] {
  const api = useApi();
  const [load, reload] = useLoad(
    useCallback(
      async (signal: AbortSignal) => {
        const hit = cache.get(api);
        if (hit && Date.now() - hit.at < FRESH_MS) return hit.data;
        const data = await api.getDirectoryFacets(signal);
        cache.set(api, { at: Date.now(), data });
        return data;
      },
      [api],
    ),
  );
  const retry = useCallback(() => {
    cache.delete(api);
    reload();
  }, [api, reload]);
  return [load, retry];
}
