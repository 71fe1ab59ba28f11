import type { DirectoryFacetsResponse } from '../../../api/types';
import { queries } from '../../../api/queries';
import { useApi } from '../../../app/ApiContext';
import { useLoad, type Load } from '../../../app/useLoad';

/**
 * The organisation's org units and job levels (with head counts) and the zones in use. Kept fresh
 * for a minute (queries.directoryFacets), so that moving between the design form's steps does not
 * fetch them again.
 */
export function useDirectoryFacets(): [Load<DirectoryFacetsResponse>, () => void] {
  const [load, reload] = useLoad(queries.directoryFacets(useApi()));
  return [load, reload];
}
