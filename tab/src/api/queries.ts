import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { ApiClient } from './client';
import type { PeopleWithout } from './types';

/**
 * The query keys of the tab's server state, one factory per API area. A key names one API call
 * (with its arguments); the areas' prefixes are what a change invalidates, e.g. `keys.programmes.all`
 * after an enrolment decision changed the seat counts.
 */
export const keys = {
  programmes: {
    all: ['programmes'] as const,
    mine: () => [...keys.programmes.all, 'mine'] as const,
    owned: () => [...keys.programmes.all, 'owned'] as const,
    one: (id: string) => [...keys.programmes.all, 'one', id] as const,
    results: (id: string) => [...keys.programmes.one(id), 'results'] as const,
    impact: (id: string) => [...keys.programmes.one(id), 'impact'] as const,
    pulse: (id: string) => [...keys.programmes.one(id), 'pulse'] as const,
    commitments: (id: string) => [...keys.programmes.one(id), 'commitments'] as const,
    cohorts: (id: string) => [...keys.programmes.one(id), 'cohorts'] as const,
    practice: (id: string) => [...keys.programmes.one(id), 'practice'] as const,
  },
  enrolments: {
    all: ['enrolments'] as const,
    one: (id: string) => [...keys.enrolments.all, id] as const,
  },
  approvals: ['approvals'] as const,
  sponsorships: ['sponsorships'] as const,
  notifications: ['notifications'] as const,
  feedback: ['feedback'] as const,
  ops: {
    all: ['ops'] as const,
    queues: () => [...keys.ops.all, 'queues'] as const,
    failed: () => [...keys.ops.all, 'failed'] as const,
  },
  sessions: {
    all: ['sessions'] as const,
    mine: () => [...keys.sessions.all, 'mine'] as const,
    feedback: (id: string) => [...keys.sessions.all, id, 'feedback'] as const,
    attendance: (id: string) => [...keys.sessions.all, id, 'attendance'] as const,
    rooms: (id: string) => [...keys.sessions.all, id, 'rooms'] as const,
  },
  practice: {
    all: ['practice'] as const,
    rooms: () => [...keys.practice.all, 'rooms'] as const,
    room: (id: string) => [...keys.practice.all, 'room', id] as const,
    mine: () => [...keys.practice.all, 'mine'] as const,
    person: (userId: string) => [...keys.practice.all, 'person', userId] as const,
  },
  admin: {
    all: ['admin'] as const,
    directory: () => [...keys.admin.all, 'directory'] as const,
    settings: () => [...keys.admin.all, 'settings'] as const,
    privacy: () => [...keys.admin.all, 'privacy'] as const,
    audit: () => [...keys.admin.all, 'audit'] as const,
    /** Without a search: every search's pages; with one, its pages (narrowed by `without`). */
    users: (search?: string, without: PeopleWithout | null = null) => (search === undefined ? ([...keys.admin.all, 'users'] as const) : ([...keys.admin.all, 'users', search, without] as const)),
    erasure: (id: string) => [...keys.admin.all, 'erasure', id] as const,
  },
  directoryFacets: ['directory-facets'] as const,
  /** The people picker's reads: a search, or the names of people chosen before. */
  directoryPeople: {
    all: ['directory-people'] as const,
    search: (term: string, limit: number) => [...keys.directoryPeople.all, 'search', term, limit] as const,
    byIds: (ids: readonly string[]) => [...keys.directoryPeople.all, 'ids', ...ids] as const,
  },
  directorySponsors: ['directory-sponsors'] as const,
  metrics: ['metrics'] as const,
  /** The design form's calendar check, by the sessions asked about. */
  sessionCheck: (sessions: string) => ['session-check', sessions] as const,
  scenarios: ['scenarios'] as const,
};

/** How long the org units, job levels and zones are reused before they are fetched again. */
const FACETS_FRESH_MS = 60_000;

/** One query per API read: its key and how to fetch it, cancellable through the query's signal. */
export const queries = {
  myProgrammes: (api: ApiClient) =>
    queryOptions({
      queryKey: keys.programmes.mine(),
      queryFn: ({ signal }) => api.getMyProgrammes(signal).then((r) => r.programmes),
    }),
  ownedProgrammes: (api: ApiClient) =>
    queryOptions({
      queryKey: keys.programmes.owned(),
      queryFn: ({ signal }) => api.getOwnedProgrammes(signal).then((r) => r.programmes),
    }),
  programme: (api: ApiClient, id: string) =>
    queryOptions({ queryKey: keys.programmes.one(id), queryFn: ({ signal }) => api.getProgramme(id, signal) }),
  results: (api: ApiClient, id: string) =>
    queryOptions({ queryKey: keys.programmes.results(id), queryFn: ({ signal }) => api.getProgrammeResults(id, signal) }),
  impact: (api: ApiClient, id: string) =>
    queryOptions({ queryKey: keys.programmes.impact(id), queryFn: ({ signal }) => api.getProgrammeImpact(id, signal) }),
  pulse: (api: ApiClient, id: string) =>
    queryOptions({ queryKey: keys.programmes.pulse(id), queryFn: ({ signal }) => api.getPulseResults(id, signal) }),
  commitments: (api: ApiClient, id: string) =>
    queryOptions({ queryKey: keys.programmes.commitments(id), queryFn: ({ signal }) => api.getCommitments(id, signal) }),
  cohorts: (api: ApiClient, id: string) =>
    queryOptions({
      queryKey: keys.programmes.cohorts(id),
      queryFn: ({ signal }) => api.getCohorts(id, signal).then((r) => r.cohorts),
    }),
  programmePractice: (api: ApiClient, id: string) =>
    queryOptions({ queryKey: keys.programmes.practice(id), queryFn: ({ signal }) => api.getProgrammePractice(id, signal) }),

  enrolment: (api: ApiClient, id: string) =>
    queryOptions({ queryKey: keys.enrolments.one(id), queryFn: ({ signal }) => api.getEnrolment(id, signal) }),
  approvals: (api: ApiClient) =>
    queryOptions({
      queryKey: keys.approvals,
      queryFn: ({ signal }) => api.getPendingApprovals(signal).then((r) => r.approvals),
    }),
  sponsorships: (api: ApiClient) =>
    queryOptions({ queryKey: keys.sponsorships, queryFn: ({ signal }) => api.getMySponsorships(signal) }),
  notifications: (api: ApiClient) =>
    queryOptions({ queryKey: keys.notifications, queryFn: ({ signal }) => api.getNotifications(signal) }),
  myFeedback: (api: ApiClient) =>
    queryOptions({ queryKey: keys.feedback, queryFn: ({ signal }) => api.getMyFeedback(signal).then((r) => r.requests) }),

  queues: (api: ApiClient) => queryOptions({ queryKey: keys.ops.queues(), queryFn: ({ signal }) => api.getQueues(signal) }),
  failedJobs: (api: ApiClient) =>
    queryOptions({ queryKey: keys.ops.failed(), queryFn: ({ signal }) => api.getFailedJobs(signal).then((r) => r.jobs) }),

  coachSessions: (api: ApiClient) =>
    queryOptions({ queryKey: keys.sessions.mine(), queryFn: ({ signal }) => api.getSessions(signal).then((r) => r.sessions) }),
  attendance: (api: ApiClient, sessionId: string) =>
    queryOptions({ queryKey: keys.sessions.attendance(sessionId), queryFn: ({ signal }) => api.getAttendance(sessionId, signal) }),
  sessionFeedback: (api: ApiClient, id: string) =>
    queryOptions({ queryKey: keys.sessions.feedback(id), queryFn: ({ signal }) => api.getSessionFeedback(id, signal) }),
  sessionRooms: (api: ApiClient, id: string) =>
    queryOptions({
      queryKey: keys.sessions.rooms(id),
      queryFn: ({ signal }) => api.getSessionRooms(id, signal).then((r) => r.rooms),
    }),

  myRooms: (api: ApiClient) =>
    queryOptions({ queryKey: keys.practice.rooms(), queryFn: ({ signal }) => api.getMyRooms(signal).then((r) => r.rooms) }),
  room: (api: ApiClient, id: string) =>
    queryOptions({ queryKey: keys.practice.room(id), queryFn: ({ signal }) => api.getRoom(id, signal).then((r) => r.room) }),
  myPractice: (api: ApiClient) =>
    queryOptions({ queryKey: keys.practice.mine(), queryFn: ({ signal }) => api.getMyPractice(signal) }),
  personPractice: (api: ApiClient, userId: string) =>
    queryOptions({ queryKey: keys.practice.person(userId), queryFn: ({ signal }) => api.getPersonPractice(userId, signal) }),

  directory: (api: ApiClient) =>
    queryOptions({ queryKey: keys.admin.directory(), queryFn: ({ signal }) => api.getDirectory(signal) }),
  organisationSettings: (api: ApiClient) =>
    queryOptions({ queryKey: keys.admin.settings(), queryFn: ({ signal }) => api.getOrganisationSettings(signal) }),
  adminPrivacy: (api: ApiClient) =>
    queryOptions({ queryKey: keys.admin.privacy(), queryFn: ({ signal }) => api.getAdminPrivacy(signal) }),
  /** The audit trail, newest first: pages, each before the last one's oldest event. */
  audit: (api: ApiClient, limit: number) =>
    infiniteQueryOptions({
      queryKey: keys.admin.audit(),
      queryFn: ({ pageParam, signal }) => api.getAudit({ limit, before: pageParam }, signal),
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.nextBefore ?? null,
    }),
  /** The admin's people list: pages of a search, each after the last one's cursor. */
  adminUsers: (api: ApiClient, search: string, limit: number, without: PeopleWithout | null = null) =>
    infiniteQueryOptions({
      queryKey: keys.admin.users(search, without),
      queryFn: ({ pageParam, signal }) => api.getAdminUsers({ search, after: pageParam, limit, without }, signal),
      initialPageParam: null as string | null,
      getNextPageParam: (last) => last.next ?? null,
    }),
  erasure: (api: ApiClient, id: string) =>
    queryOptions({ queryKey: keys.admin.erasure(id), queryFn: ({ signal }) => api.getErasure(id, signal) }),
  /** Kept a minute, so that moving between the design form's steps does not fetch them again. */
  directoryFacets: (api: ApiClient) =>
    queryOptions({
      queryKey: keys.directoryFacets,
      queryFn: ({ signal }) => api.getDirectoryFacets(signal),
      staleTime: FACETS_FRESH_MS,
    }),
  directorySearch: (api: ApiClient, term: string, limit: number) =>
    queryOptions({
      queryKey: keys.directoryPeople.search(term, limit),
      queryFn: ({ signal }) => api.getDirectoryPeople({ search: term, limit }, signal).then((r) => r.people),
    }),
  directoryPeopleByIds: (api: ApiClient, ids: readonly string[]) =>
    queryOptions({
      queryKey: keys.directoryPeople.byIds(ids),
      queryFn: ({ signal }) => api.getDirectoryPeopleByIds(ids, signal).then((r) => r.people),
      // Names of people chosen before do not change while a design is edited.
      staleTime: Infinity,
    }),
  directorySponsors: (api: ApiClient) =>
    queryOptions({
      queryKey: keys.directorySponsors,
      queryFn: ({ signal }) => api.getDirectorySponsors(signal).then((r) => r.sponsors),
    }),
  metrics: (api: ApiClient) => queryOptions({ queryKey: keys.metrics, queryFn: ({ signal }) => api.getMetrics(signal) }),
  scenarios: (api: ApiClient) =>
    queryOptions({ queryKey: keys.scenarios, queryFn: ({ signal }) => api.getScenarios(signal) }),
};
