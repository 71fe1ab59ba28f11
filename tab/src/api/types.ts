/**
 * Wire types of the Coaching Pilots API, as the tab uses them. The caller, programmes, enrolments,
 * sponsorship, feedback, the team pulse, impact, the metric catalogue and ops come from the service's
 * contract (the zod schemas its routes validate and document with, service/src/http/contract/);
 * the rest are still written here (issue 17).
 */

import type { Role } from '../../../service/src/http/contract/enrolments';

export const ALL_ROLES: readonly Role[] = [
  'sponsor',
  'owner',
  'manager',
  'team_member',
  'coach',
  'ops',
  'admin',
];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ALL_ROLES as readonly string[]).includes(value);
}

/** RFC 9457 problem details, as the API sends them. */
export type { Problem } from '../../../service/src/http/contract/common';

/* ---- Sponsorship ---- */

/* ---- Administration ---- */

/* ---- Programme design (owner) ---- */

/* ---- Notifications inbox ---- */

/* ---- Feedback and pulses ---- */

/** A 1–5 answer on a rating or agreement scale. */
export type Score = 1 | 2 | 3 | 4 | 5;

/* ---- Privacy: a person's data, retention, the organisation's deletion ---- */

/** The retention kinds the API knows (keys of GET /api/admin/privacy's `retention`). */
export type { RetentionKind } from '../../../service/src/domain/retention';

/** A file the API sent, with the name it suggested. */
export interface DownloadedFile {
  blob: Blob;
  fileName: string;
}

/* ---- Organisation settings (admin) ---- */

/* ---- Feedback, the team pulse, impact and the metric catalogue: the service's contract ---- */

export type {
  CatalogueMetric,
  CatalogueMetricChange,
  CatalogueMetricResponse,
  CatalogueMetricsResponse,
  FeedbackAnswer,
  FeedbackAnswerResponse,
  FeedbackKind,
  FeedbackRequest,
  FeedbackStatus,
  ImpactAnalysis,
  ImpactAttrition,
  ImpactDid,
  ImpactGroup,
  ImpactResponse,
  ImpactVerdict,
  MetricChange,
  MyFeedbackResponse,
  NewCatalogueMetric,
  OutcomeImportReport,
  PulseItemKey,
  PulseMean,
  PulsePhase,
  PulseResultsResponse,
  PulseStatement,
  SuppressedFigure,
} from '../../../service/src/http/contract/measures';

/* ---- Programmes and sponsorship: the service's contract ---- */

export type {
  CommitmentStatus,
  CommitmentsResponse,
  ComparisonMode,
  ComparisonRule,
  MySponsorshipsResponse,
  OwnedProgrammeResponse,
  OwnedProgrammesResponse,
  Participation,
  PlannedSession,
  ProgrammeAction,
  ProgrammeDesign,
  ProgrammeKind,
  ProgrammeResponse,
  ProgrammeResultsResponse,
  ProgrammeSponsor,
  ProgrammeStatus,
  SessionKind,
  SponsorCommitments,
  SponsorDecision,
  SponsorDecisionKind,
  SponsoredProgramme,
  SponsorshipRequest,
  SubmitProgrammeRequest,
} from '../../../service/src/http/contract/programmes';

/* ---- The caller, programme cards and enrolments: the service's contract ---- */

export type {
  Cohort,
  Enrolment,
  EnrolmentDetailResponse,
  EnrolmentResponse,
  EnrolmentStatus,
  MeResponse,
  MyEnrolment,
  MyProgrammesResponse,
  PendingApproval,
  Programme,
  Role,
  ScheduledSession,
  Session,
} from '../../../service/src/http/contract/enrolments';

/* ---- The notifications inbox: the service's contract ---- */

export type { AppNotification, NotificationsReadResponse, NotificationsResponse } from '../../../service/src/http/contract/notifications';

/* ---- Sessions, attendance and cohorts: the service's contract ---- */

export type {
  AttendanceCounts,
  AttendanceMark,
  AttendanceRecords,
  AttendanceResponse,
  CoachSession,
  CoachSessionsResponse,
  CohortDetail,
  CohortsResponse,
  RescheduleRequest,
  RosterEntry,
  SessionFeedbackAnswer,
  SessionFeedbackResponse,
  SessionRatings,
  SessionResponse,
  SessionSummary,
} from '../../../service/src/http/contract/sessions';

/* ---- The organisation directory: the service's contract ---- */

export type {
  DirectoryFacetsResponse,
  DirectoryField,
  DirectoryIssue,
  DirectoryPeopleResponse,
  DirectoryPeopleStats,
  DirectoryPerson,
  DirectoryResponse,
  DirectorySettings,
  DirectorySettingsResponse,
  DirectorySource,
  DirectorySponsor,
  DirectorySponsorsResponse,
  DirectorySync,
  DirectorySyncCounts,
  DirectorySyncResponse,
  DirectorySyncStatus,
  FacetCount,
  HrImportReport,
  HrImportResponse,
} from '../../../service/src/http/contract/directory';

/* ---- Administration: the service's contract ---- */

export type {
  AdminUser,
  AdminUserResponse,
  AdminUserRoles,
  AdminUsersResponse,
  AuditEvent,
  AuditResponse,
  OrganisationSettings,
  OrganisationSettingsResponse,
  OrganisationSettingsSaved,
} from '../../../service/src/http/contract/admin';

/* ---- Before sign-in, and privacy: the service's contract ---- */

export type { ConfigResponse, DevTokenResponse, DevUser, DevUsersResponse } from '../../../service/src/http/contract/public';
export type {
  AdminPrivacyResponse,
  ErasureConfirmResponse,
  ErasureRequest,
  ErasureStatus,
  OrganisationPrivacySettings,
  PrivacyNoticeResponse,
  RetentionChange,
  RetentionSettings,
  TenantDeletion,
} from '../../../service/src/http/contract/privacy';

/* ---- Operations: the service's contract ---- */

export type { FailedJob, FailedJobsResponse, QueueCounts, QueueHealth, QueuesResponse } from '../../../service/src/http/contract/ops';
export type {
  MyPracticeResponse,
  OpenRoomsBody,
  PracticeCohortResponse,
  PracticeRound,
  RoomSummary,
  RoomView,
  RoundView,
  Scenario,
  ScenarioBody,
  ScenarioChange,
  TapBody,
  TapView,
} from '../../../service/src/http/contract/practice';
