/**
 * Wire types of the Coaching Pilots API, as the tab uses them: every one comes from the service's
 * contract (the zod schemas its routes validate and document with, service/src/http/contract/) or,
 * for a few, the domain; type-only imports, so no zod reaches the bundle. Only the list of roles
 * is written here, since the tab needs it at run time.
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

/** RFC 9457 problem details, as the API sends them; what every CSV check or import reports. */
export type { CsvImportReport, Problem } from '../../../service/src/http/contract/common';

/* ---- Feedback, the team pulse, impact, outcome imports and the metric catalogue ---- */

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

/* ---- Programmes and sponsorship ---- */

export type {
  CommitmentItem,
  CommitmentStatus,
  CommitmentsResponse,
  ComparisonMode,
  ComparisonRule,
  DecidedProgramme,
  DecidedProgrammeResponse,
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
  SessionCheckBody,
  SessionCheckResponse,
  SessionKind,
  SponsorCommitments,
  SponsorDecision,
  SponsorDecisionKind,
  SponsoredProgramme,
  SponsorshipRequest,
  SubmitProgrammeRequest,
} from '../../../service/src/http/contract/programmes';

/* ---- The caller, programme cards and enrolments ---- */

export type {
  ApprovalDecision,
  Cohort,
  Enrolment,
  EnrolmentDetailResponse,
  EnrolmentResponse,
  EnrolmentStatus,
  MeResponse,
  MyEnrolment,
  MyProgrammesResponse,
  PendingApproval,
  PendingApprovalsResponse,
  Programme,
  Role,
  ScheduledSession,
  Session,
} from '../../../service/src/http/contract/enrolments';

/* ---- The notifications inbox ---- */

export type { AppNotification, NotificationsReadResponse, NotificationsResponse } from '../../../service/src/http/contract/notifications';

/* ---- Sessions, attendance and cohorts ---- */

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

/* ---- The organisation directory ---- */

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

/* ---- Administration ---- */

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
  PeopleWithout,
} from '../../../service/src/http/contract/admin';

/* ---- Before sign-in, and privacy ---- */

/** The retention kinds the API knows (keys of GET /api/admin/privacy's `retention`). */
export type { RetentionKind } from '../../../service/src/domain/retention';

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

/* ---- Operations ---- */

export type { BoardSessionResponse, FailedJob, FailedJobsResponse, QueueCounts, QueueHealth, QueuesResponse } from '../../../service/src/http/contract/ops';

/* ---- Practice rooms ---- */

export type {
  MarkersBody,
  MyPracticeResponse,
  OpenRoomsBody,
  PracticeCohortResponse,
  PracticeRound,
  RatingBody,
  RoomSummary,
  RoomView,
  RoundView,
  Scenario,
  ScenarioBody,
  ScenarioChange,
  TapBody,
  TapView,
} from '../../../service/src/http/contract/practice';
