/** What of the contract the tab needs at run time too, kept apart from the schemas (the tab does not bundle zod). */

/** The most people one `GET /api/directory/people?ids=` names (a longer list is asked for in parts). */
export const PEOPLE_BY_IDS_MAX = 100;

export { cohortLetter, NOT_GOING_AHEAD } from '../../domain/programme';
