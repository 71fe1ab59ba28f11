import type { ApiClient } from '../api/client';
import { queries } from '../api/queries';
import type { Role } from '../api/types';
import { isRole } from '../api/types';
import type { MessageId } from '../i18n/messages';
import { readEarly as read } from './early';
import type { PageProps } from '../pages/types';
import { chunk, type Chunk } from './chunk';
import { rolePath } from './roles';
import { readHashPath } from './useHashPath';

type Page = Chunk<PageProps>;

/** One home page per role, each in its own chunk. */
export const ROLE_PAGES: Record<Role, Page> = {
  sponsor: chunk(() => import('../pages/sponsor').then((m) => m.default)),
  owner: chunk(() => import('../pages/owner').then((m) => m.default)),
  manager: chunk(() => import('../pages/manager').then((m) => m.default)),
  team_member: chunk(() => import('../pages/team_member').then((m) => m.default)),
  coach: chunk(() => import('../pages/coach').then((m) => m.default)),
  ops: chunk(() => import('../pages/ops').then((m) => m.default)),
  admin: chunk(() => import('../pages/admin').then((m) => m.default)),
};

/** Pages reached by address rather than by a role tab, e.g. `#/feedback?request=…`. */
export const EXTRA_PAGES = {
  feedback: chunk(() => import('../pages/feedback').then((m) => m.default)),
  /** `#/results?programme=…`: the results dashboard for sponsors and owners. */
  results: chunk(() => import('../pages/results').then((m) => m.default)),
  /** `#/outcomes`: import outcome figures from CSV (owners and admins). */
  outcomes: chunk(() => import('../pages/outcomes').then((m) => m.default)),
  /** `#/configure`: the configuration page Teams shows when the app is added to a meeting. */
  configure: chunk(() => import('../pages/configure').then((m) => m.default)),
  /** `#/scenarios`: the role-play scenario library (owners and coaches). */
  scenarios: chunk(() => import('../pages/scenarios').then((m) => m.default)),
  /** `#/approvals`: enrolments waiting for my approval, where the approval notice leads. */
  approvals: chunk(() => import('../pages/approvals').then((m) => m.default)),
  /** `#/practice`: my practice rooms and my own practice; `#/practice?room=…`: one room, live. */
  practice: chunk(() => import('../pages/practice').then((m) => m.default)),
} satisfies Record<string, Page>;

/** Each page's name in the window title (message ids, tab/src/i18n/messages). */
export const EXTRA_TITLES: Record<keyof typeof EXTRA_PAGES, MessageId> = {
  feedback: 'page.feedback',
  results: 'page.results',
  outcomes: 'page.outcomes',
  configure: 'page.configure',
  scenarios: 'page.scenarios',
  approvals: 'page.approvals',
  practice: 'page.practice',
};

/** The user's distinct roles, in the order the API gave them. */
export function knownRoles(roles: readonly string[]): Role[] {
  return [...new Set(roles.filter(isRole))];
}

/**
 * The page an address shows, and the address that names it: a page reached by address, else the
 * home of the role it names, else the home of the user's first role. Someone with no role (most
 * of a real organisation: team members are asked about their manager without one) has their
 * feedback requests.
 */
export function pageFor(
  path: string,
  roles: readonly Role[],
): { extra: Page; current: undefined; path: string } | { extra: undefined; current: Role; path: string } {
  if (Object.hasOwn(EXTRA_PAGES, path)) return { extra: EXTRA_PAGES[path as keyof typeof EXTRA_PAGES], current: undefined, path };
  const current = roles.find((role) => rolePath(role) === path) ?? roles[0];
  if (current) return { extra: undefined, current, path: rolePath(current) };
  return { extra: EXTRA_PAGES.feedback, current: undefined, path: 'feedback' };
}

/** What each page's first screen reads. */
const FIRST_READS: Partial<Record<Role | keyof typeof EXTRA_PAGES, (api: ApiClient) => void>> = {
  manager: (api) => {
    read(queries.myProgrammes(api));
    read(queries.approvals(api));
    read(queries.myRooms(api));
  },
  sponsor: (api) => {
    read(queries.sponsorships(api));
    read(queries.approvals(api));
  },
  owner: (api) => read(queries.ownedProgrammes(api)),
  coach: (api) => read(queries.coachSessions(api)),
  ops: (api) => {
    read(queries.queues(api));
    read(queries.failedJobs(api));
  },
  team_member: (api) => read(queries.myFeedback(api)),
  feedback: (api) => read(queries.myFeedback(api)),
  approvals: (api) => read(queries.approvals(api)),
};

/**
 * Starts what the page the shell is about to show needs, all at once: its data (first, so that the
 * API calls are not queued behind the chunk's files) and its chunk, so that both arrive with the
 * shell's own chunk rather than one after another. Failures are left to the page.
 */
export function preloadPage(api: ApiClient, roles: readonly string[], path: string = readHashPath()): void {
  const { extra, current, path: shown } = pageFor(path, knownRoles(roles));
  const name = extra ? (shown as keyof typeof EXTRA_PAGES) : current;
  if (name) FIRST_READS[name]?.(api);
  // The header's inbox.
  read(queries.notifications(api));
  // After the calls (sent as soon as the client has its token), so that they are not queued
  // behind the chunk's files for one of the browser's six connections.
  const page = extra ?? (current ? ROLE_PAGES[current] : undefined);
  window.setTimeout(() => page?.load().catch(() => undefined), 0);
}
