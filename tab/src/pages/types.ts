import type { MeResponse } from '../api/types';

/** What every role page receives from the shell. */
export interface PageProps {
  me: MeResponse;
}
