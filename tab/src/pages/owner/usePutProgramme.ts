import { useCallback } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { keys } from '../../api/queries';
import type { SponsoredProgramme } from '../../api/types';

/**
 * Puts a programme a write answered with into the owner's list at once (first if it is new), and
 * has the list fetched again in the background for whatever else the write changed.
 */
export function usePutProgramme(): (programme: SponsoredProgramme) => void {
  const queryClient = useQueryClient();
  return useCallback(
    (programme: SponsoredProgramme) => {
      queryClient.setQueryData<SponsoredProgramme[]>(keys.programmes.owned(), (list = []) =>
        list.some((p) => p.id === programme.id) ? list.map((p) => (p.id === programme.id ? programme : p)) : [programme, ...list],
      );
      void queryClient.invalidateQueries({ queryKey: keys.programmes.owned() });
    },
    [queryClient],
  );
}
