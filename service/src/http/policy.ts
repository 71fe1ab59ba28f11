import type { Role } from '../domain/roles';

/**
 * Who may call what: the single authorisation policy. Every route names its entry here by id;
 * a route without an entry fails at start-up, and a test walks this whole table.
 * `public` needs no sign-in; `signed-in` is any role, even none.
 */
export type Access = 'public' | 'signed-in' | readonly Role[];

export const POLICY = {
  'health.alive': 'public',
  'health.ready': 'public',
  'config.get': 'public',
  'openapi.get': 'public',
  'privacy.notice': 'public',
  'dev.users': 'public',
  'dev.token': 'public',
  'me.get': 'signed-in',
  'me.programmes': ['manager'],
  'enrolments.create': ['manager'],
  'enrolments.get': ['manager'],
  'enrolments.withdraw': ['manager'],
  // Line managers can hold any role; the use-case only lets the named approver act.
  'enrolments.approval': 'signed-in',
  'approvals.mine': 'signed-in',
  'notifications.list': 'signed-in',
  'programmes.list': ['owner', 'admin'],
  'programmes.create': ['owner'],
  'programmes.check_sessions': ['owner'],
  'programmes.get': ['owner', 'sponsor', 'admin'],
  'programmes.update': ['owner'],
  'programmes.submit': ['owner'],
  'programmes.open_enrolment': ['owner'],
  'programmes.decide': ['sponsor'],
  'programmes.coached': ['sponsor'],
  'programmes.transition': ['owner'],
  'programmes.expand': ['owner'],
  'programmes.cohorts': ['owner', 'admin'],
  'programmes.commitments': ['owner', 'sponsor', 'admin'],
  'programmes.results': ['owner', 'sponsor', 'admin'],
  'sessions.list': ['coach', 'owner'],
  'sessions.attendance.get': ['coach', 'owner'],
  'sessions.attendance.put': ['coach', 'owner'],
  'sessions.reschedule': ['owner'],
  'sessions.cancel': ['owner'],
  'me.invite': ['manager'],
  'notifications.read': 'signed-in',
  'feedback.mine': 'signed-in',
  'feedback.answer': 'signed-in',
  'programmes.pulse': ['owner', 'sponsor', 'admin', 'manager'],
  'sessions.feedback': ['coach', 'owner'],
  'outcomes.import': ['owner', 'admin'],
  'programmes.impact': ['owner', 'sponsor', 'admin'],
  'programmes.metrics': ['owner'],
  'metrics.list': ['owner', 'sponsor', 'admin'],
  'admin.metrics.add': ['admin'],
  'admin.metrics.change': ['admin'],
  'sponsorships.list': ['sponsor'],
  'directory.sponsors': ['owner'],
  'ops.queues': ['ops'],
  'ops.failed': ['ops'],
  'ops.retry': ['ops'],
  'ops.metrics': ['ops'],
  'ops.board_session': ['ops'],
  'admin.users.list': ['admin'],
  'admin.users.roles': ['admin'],
  'admin.audit': ['admin'],
  'admin.settings.get': ['admin'],
  'admin.settings.put': ['admin'],
  'admin.directory.get': ['admin'],
  'admin.directory.settings': ['admin'],
  'admin.directory.sync': ['admin'],
  'directory.import': ['admin'],
  'directory.people': ['owner', 'admin'],
  'directory.facets': ['owner', 'admin'],
  // Everyone may download their own data and read their organisation's retention periods.
  'me.export': 'signed-in',
  'privacy.settings': 'signed-in',
  'admin.people.export': ['admin'],
  'admin.people.erasure': ['admin'],
  'admin.erasures.confirm': ['admin'],
  'admin.erasures.get': ['admin'],
  'admin.privacy.get': ['admin'],
  'admin.privacy.retention': ['admin'],
  'admin.privacy.deletion.request': ['admin'],
  'admin.privacy.deletion.cancel': ['admin'],
  // Practice: coaches and owners run it; the rooms' use-cases let in only the room's people (and them).
  'practice.scenarios.list': ['owner', 'coach'],
  'practice.scenarios.add': ['owner', 'coach'],
  'practice.scenarios.change': ['owner', 'coach'],
  'practice.rooms.open': ['owner', 'coach'],
  'practice.rooms.of_session': ['owner', 'coach', 'manager'],
  'practice.rooms.mine': 'signed-in',
  'practice.rooms.get': 'signed-in',
  'practice.rounds.start': 'signed-in',
  'practice.rounds.end': 'signed-in',
  'practice.taps.add': 'signed-in',
  'practice.rounds.rating': 'signed-in',
  'practice.rounds.markers': 'signed-in',
  'practice.mine': 'signed-in',
  // A manager's practice history is theirs and their coach's: never owners', sponsors' or admins'.
  'practice.person': ['coach'],
  'programmes.practice': ['owner', 'sponsor', 'admin'],
  // The live channel carries only what the caller may see (their own events, a room they may follow, queues for ops).
  'stream.open': 'signed-in',
} as const satisfies Record<string, Access>;

export type RouteId = keyof typeof POLICY;

export function isAllowed(access: Access, roles: readonly string[]): boolean {
  if (access === 'public' || access === 'signed-in') return true;
  return access.some((r) => roles.includes(r));
}
