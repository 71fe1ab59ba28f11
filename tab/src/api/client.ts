import { problemWords, statusWords, unknownProblem } from '../i18n/problemWords';
import { EventSource } from 'eventsource';
import { PEOPLE_BY_IDS_MAX } from '../../../service/src/http/contract/limits';
import type {
  MyPracticeResponse,
  OpenRoomsBody,
  PracticeCohortResponse,
  RoomSummary,
  RoomView,
  Scenario,
  ScenarioBody,
  ScenarioChange,
  TapBody,
  TapView,
  CatalogueMetricChange,
  CatalogueMetricResponse,
  CatalogueMetricsResponse,
  ImpactResponse,
  NewCatalogueMetric,
  ProgrammeResponse,
  DecidedProgrammeResponse,
  ProgrammeResultsResponse,
  PulseResultsResponse,
  AdminUserResponse,
  OrganisationSettings,
  OrganisationSettingsResponse,
  OrganisationSettingsSaved,
  AttendanceRecords,
  AttendanceResponse,
  CoachSessionsResponse,
  CohortsResponse,
  CommitmentsResponse,
  DirectorySponsorsResponse,
  OwnedProgrammeResponse,
  SessionCheckBody,
  SessionCheckResponse,
  OwnedProgrammesResponse,
  ProgrammeAction,
  ProgrammeDesign,
  RescheduleRequest,
  SessionFeedbackResponse,
  SessionResponse,
  SubmitProgrammeRequest,
  AdminUsersResponse,
  PeopleWithout,
  AuditResponse,
  ConfigResponse,
  DevTokenResponse,
  DevUsersResponse,
  EnrolmentDetailResponse,
  EnrolmentResponse,
  FailedJobsResponse,
  FeedbackAnswer,
  FeedbackAnswerResponse,
  MeResponse,
  MyFeedbackResponse,
  OrganisationPrivacySettings,
  PrivacyNoticeResponse,
  NotificationsReadResponse,
  NotificationsResponse,
  QueuesResponse,
  MyProgrammesResponse,
  MySponsorshipsResponse,
  Problem,
  Role,
  SponsorshipRequest,
  ApprovalDecision,
  BoardSessionResponse,
  MarkersBody,
  PendingApprovalsResponse,
  RatingBody,
  OutcomeImportReport,
  DirectoryFacetsResponse,
  DirectoryPeopleResponse,
  DirectoryResponse,
  DirectorySettings,
  DirectorySettingsResponse,
  DirectorySyncResponse,
  HrImportResponse,
  AdminPrivacyResponse,
  ErasureConfirmResponse,
  ErasureRequest,
  ErasureStatus,
  RetentionChange,
  RetentionSettings,
  TenantDeletion,
} from './types';

/** A file the API sent, with the name it suggested. */
export interface DownloadedFile {
  blob: Blob;
  fileName: string;
}

/** A failed API call, with a message fit to show to the user. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    message: string,
    /** HTTP status, or 0 when the server could not be reached. */
    readonly status: number,
    readonly problem: Problem | null = null,
  ) {
    super(message);
  }
}

/** What the client needs from the sign-in layer. */
export interface ApiAuth {
  /**
   * The bearer token to send, or null for anonymous calls. A token known at once may be returned
   * as it is: the call then goes out in the same task (start-up sends its calls while the tab's
   * modules are still running, before any promise settles).
   */
  getToken(): string | null | Promise<string | null>;
  /** Called when the API answers 401: the token is no longer accepted. */
  onUnauthorized(): void;
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** Anonymous calls send no token and do not trigger sign-out on 401. */
  anonymous?: boolean;
  /** Send this Accept header and return the body as a Blob instead of parsing JSON. */
  raw?: string;
  /** Send this file as text/csv instead of a JSON body. */
  csv?: Blob;
}

function fallbackMessage(status: number): string {
  if (status === 409) return 'That change conflicts with the current state. Refresh and try again.';
  return statusWords(status) ?? `The request failed (HTTP ${status}).`;
}

/** Turns a problem+json body into one readable sentence (plus any field errors). */
export function problemMessage(problem: Problem | null, status: number): string {
  const main = problem?.detail || problem?.title || fallbackMessage(status);
  const fields = (problem?.errors ?? [])
    .map((e) => (e.path ? `${e.path}: ${e.message}` : e.message))
    .filter(Boolean);
  return fields.length > 0 ? `${main} (${fields.join('; ')})` : main;
}

async function readProblem(response: Response): Promise<Problem | null> {
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return null;
  try {
    const body: unknown = await response.json();
    return body && typeof body === 'object' ? (body as Problem) : null;
  } catch {
    return null;
  }
}

/** Typed access to the Coaching Pilots API. */
export class ApiClient {
  constructor(
    private readonly auth: ApiAuth,
    private readonly baseUrl: string = '',
  ) {}

  /** Sends the call and returns the answer when it is a success; throws an ApiError otherwise. */
  private async send(path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { Accept: options.raw ?? 'application/json' };
    if (options.csv !== undefined) headers['Content-Type'] = 'text/csv';
    else if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (!options.anonymous) {
      const pending = this.auth.getToken();
      const token = pending instanceof Promise ? await pending : pending;
      if (token) headers.Authorization = `Bearer ${token}`;
    }

    let response: Response;
    try {
      response = await fetch(this.baseUrl + path, {
        method: options.method ?? 'GET',
        headers,
        body: options.csv ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
        signal: options.signal,
        credentials: 'same-origin',
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new ApiError(
        'Coaching Pilots cannot be reached. Check your connection and try again.',
        0,
      );
    }

    if (!response.ok) {
      const problem = await readProblem(response);
      if (response.status === 401 && !options.anonymous) this.auth.onUnauthorized();
      throw new ApiError(problemMessage(problem, response.status), response.status, problem);
    }
    return response;
  }

  private async request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(path, options);
    if (response.status === 204) return undefined as T;
    // 202 Accepted may come without a body.
    if (response.status === 202 && !(response.headers.get('content-type') ?? '').includes('json')) {
      return undefined as T;
    }
    if (options.raw !== undefined) return (await response.blob()) as T;
    try {
      return (await response.json()) as T;
    } catch {
      throw new ApiError('Coaching Pilots sent a response the tab could not read.', response.status);
    }
  }

  /**
   * A file download with the bearer token (never in the address), and the file name the API
   * suggested in Content-Disposition, or `fallbackName`.
   */
  private async download(path: string, accept: string, fallbackName: string, signal?: AbortSignal): Promise<DownloadedFile> {
    const response = await this.send(path, { signal, raw: `${accept}, application/problem+json;q=0.9` });
    const disposition = response.headers.get('content-disposition') ?? '';
    const named = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1];
    let fileName = fallbackName;
    if (named) {
      try {
        fileName = decodeURIComponent(named);
      } catch {
        fileName = named;
      }
    }
    return { blob: await response.blob(), fileName };
  }

  getConfig(signal?: AbortSignal): Promise<ConfigResponse> {
    return this.request('/api/config', { signal, anonymous: true });
  }

  getPrivacyNotice(signal?: AbortSignal): Promise<PrivacyNoticeResponse> {
    return this.request('/api/privacy-notice', { signal, anonymous: true });
  }

  getPrivacySettings(signal?: AbortSignal): Promise<OrganisationPrivacySettings> {
    return this.request('/api/privacy/settings', { signal });
  }

  getDevUsers(signal?: AbortSignal): Promise<DevUsersResponse> {
    return this.request('/api/dev/users', { signal, anonymous: true });
  }

  createDevToken(userId: string, signal?: AbortSignal): Promise<DevTokenResponse> {
    return this.request('/api/dev/token', {
      method: 'POST',
      body: { userId },
      signal,
      anonymous: true,
    });
  }

  getMe(signal?: AbortSignal): Promise<MeResponse> {
    return this.request('/api/me', { signal });
  }

  getMyProgrammes(signal?: AbortSignal): Promise<MyProgrammesResponse> {
    return this.request('/api/me/programmes', { signal });
  }

  enrol(programmeId: string, cohortId: string, signal?: AbortSignal): Promise<EnrolmentResponse> {
    return this.request(`/api/programmes/${encodeURIComponent(programmeId)}/enrolments`, {
      method: 'POST',
      body: { cohortId },
      signal,
    });
  }

  getEnrolment(enrolmentId: string, signal?: AbortSignal): Promise<EnrolmentDetailResponse> {
    return this.request(`/api/enrolments/${encodeURIComponent(enrolmentId)}`, { signal });
  }

  withdraw(enrolmentId: string, signal?: AbortSignal): Promise<EnrolmentResponse> {
    return this.request(`/api/enrolments/${encodeURIComponent(enrolmentId)}/withdraw`, {
      method: 'POST',
      body: {},
      signal,
    });
  }

  getMySponsorships(signal?: AbortSignal): Promise<MySponsorshipsResponse> {
    return this.request('/api/me/sponsorships', { signal });
  }

  decideSponsorship(
    programmeId: string,
    body: SponsorshipRequest,
    signal?: AbortSignal,
  ): Promise<ProgrammeResponse> {
    return this.request(`/api/programmes/${encodeURIComponent(programmeId)}/sponsorship`, {
      method: 'POST',
      body,
      signal,
    });
  }

  /** The sponsor has been coached, as they promised (or takes it back). */
  declareCoached(programmeId: string, done: boolean, signal?: AbortSignal): Promise<DecidedProgrammeResponse> {
    return this.request(`/api/programmes/${encodeURIComponent(programmeId)}/commitments/coached`, {
      method: 'PUT',
      body: { done },
      signal,
    });
  }

  /* ---- Programme owner ---- */

  getOwnedProgrammes(signal?: AbortSignal): Promise<OwnedProgrammesResponse> {
    return this.request('/api/programmes', { signal });
  }

  /** Calendar warnings for planned sessions (weekend, public holiday, outside the working day). */
  checkSessions(body: SessionCheckBody, signal?: AbortSignal): Promise<SessionCheckResponse> {
    return this.request('/api/programmes/session-check', { method: 'POST', body, signal });
  }

  createProgramme(body: ProgrammeDesign, signal?: AbortSignal): Promise<OwnedProgrammeResponse> {
    return this.request('/api/programmes', { method: 'POST', body, signal });
  }

  updateProgramme(
    programmeId: string,
    body: ProgrammeDesign,
    signal?: AbortSignal,
  ): Promise<OwnedProgrammeResponse> {
    return this.request(`/api/programmes/${encodeURIComponent(programmeId)}`, {
      method: 'PUT',
      body,
      signal,
    });
  }

  getDirectorySponsors(signal?: AbortSignal): Promise<DirectorySponsorsResponse> {
    return this.request('/api/directory/sponsors', { signal });
  }

  submitProgramme(
    programmeId: string,
    body: SubmitProgrammeRequest,
    signal?: AbortSignal,
  ): Promise<OwnedProgrammeResponse> {
    return this.request(`/api/programmes/${encodeURIComponent(programmeId)}/submit`, {
      method: 'POST',
      body,
      signal,
    });
  }

  openEnrolment(programmeId: string, signal?: AbortSignal): Promise<OwnedProgrammeResponse> {
    return this.request(`/api/programmes/${encodeURIComponent(programmeId)}/open-enrolment`, {
      method: 'POST',
      body: {},
      signal,
    });
  }

  transitionProgramme(
    programmeId: string,
    action: ProgrammeAction,
    signal?: AbortSignal,
  ): Promise<OwnedProgrammeResponse> {
    return this.request(`/api/programmes/${encodeURIComponent(programmeId)}/transition`, {
      method: 'POST',
      body: { action },
      signal,
    });
  }

  expandProgramme(programmeId: string, signal?: AbortSignal): Promise<OwnedProgrammeResponse> {
    return this.request(`/api/programmes/${encodeURIComponent(programmeId)}/expand`, {
      method: 'POST',
      body: {},
      signal,
    });
  }

  getCommitments(programmeId: string, signal?: AbortSignal): Promise<CommitmentsResponse> {
    return this.request(`/api/programmes/${encodeURIComponent(programmeId)}/commitments`, {
      signal,
    });
  }

  getCohorts(programmeId: string, signal?: AbortSignal): Promise<CohortsResponse> {
    return this.request(`/api/programmes/${encodeURIComponent(programmeId)}/cohorts`, { signal });
  }

  rescheduleSession(
    sessionId: string,
    body: RescheduleRequest,
    signal?: AbortSignal,
  ): Promise<SessionResponse> {
    return this.request(`/api/sessions/${encodeURIComponent(sessionId)}`, {
      method: 'PUT',
      body,
      signal,
    });
  }

  cancelSession(sessionId: string, signal?: AbortSignal): Promise<SessionResponse> {
    return this.request(`/api/sessions/${encodeURIComponent(sessionId)}/cancel`, {
      method: 'POST',
      body: {},
      signal,
    });
  }

  /* ---- Sessions and attendance ---- */

  getSessions(signal?: AbortSignal): Promise<CoachSessionsResponse> {
    return this.request('/api/sessions', { signal });
  }

  getAttendance(sessionId: string, signal?: AbortSignal): Promise<AttendanceResponse> {
    return this.request(`/api/sessions/${encodeURIComponent(sessionId)}/attendance`, { signal });
  }

  saveAttendance(
    sessionId: string,
    records: AttendanceRecords,
    signal?: AbortSignal,
  ): Promise<AttendanceResponse> {
    return this.request(`/api/sessions/${encodeURIComponent(sessionId)}/attendance`, {
      method: 'PUT',
      body: { records },
      signal,
    });
  }

  /** Participants' ratings of a session, with what they will try next (coach and owner). */
  getSessionFeedback(sessionId: string, signal?: AbortSignal): Promise<SessionFeedbackResponse> {
    return this.request(`/api/sessions/${encodeURIComponent(sessionId)}/feedback`, { signal });
  }

  /** The calendar invite of one of my sessions, as an .ics file. */
  getSessionInvite(participantSessionId: string, signal?: AbortSignal): Promise<Blob> {
    return this.request(`/api/me/sessions/${encodeURIComponent(participantSessionId)}/invite.ics`, {
      signal,
      raw: 'text/calendar, application/problem+json;q=0.9, application/json;q=0.8',
    });
  }

  /* ---- Notifications inbox ---- */

  getNotifications(signal?: AbortSignal): Promise<NotificationsResponse> {
    return this.request('/api/me/notifications', { signal });
  }

  markNotificationsRead(ids: string[], signal?: AbortSignal): Promise<NotificationsReadResponse> {
    return this.request('/api/me/notifications/read', { method: 'POST', body: { ids }, signal });
  }

  /* ---- Feedback and pulses ---- */

  getMyFeedback(signal?: AbortSignal): Promise<MyFeedbackResponse> {
    return this.request('/api/me/feedback', { signal });
  }

  answerFeedback(
    requestId: string,
    body: FeedbackAnswer,
    signal?: AbortSignal,
  ): Promise<FeedbackAnswerResponse> {
    return this.request(`/api/feedback/${encodeURIComponent(requestId)}/answer`, {
      method: 'POST',
      body,
      signal,
    });
  }

  getPulseResults(programmeId: string, signal?: AbortSignal): Promise<PulseResultsResponse> {
    return this.request(`/api/programmes/${encodeURIComponent(programmeId)}/pulse`, { signal });
  }

  /* ---- Operations ---- */

  getQueues(signal?: AbortSignal): Promise<QueuesResponse> {
    return this.request('/api/ops/queues', { signal });
  }

  getFailedJobs(signal?: AbortSignal): Promise<FailedJobsResponse> {
    return this.request('/api/ops/failed', { signal });
  }

  retryFailedJob(queue: string, jobId: string, signal?: AbortSignal): Promise<void> {
    return this.request(
      `/api/ops/failed/${encodeURIComponent(queue)}/${encodeURIComponent(jobId)}/retry`,
      { method: 'POST', body: {}, signal },
    );
  }

  getPendingApprovals(signal?: AbortSignal): Promise<PendingApprovalsResponse> {
    return this.request('/api/me/approvals', { signal });
  }

  decideApproval(enrolmentId: string, approve: boolean): Promise<EnrolmentResponse> {
    const body: ApprovalDecision = { approve, comment: '' };
    return this.request(`/api/enrolments/${encodeURIComponent(enrolmentId)}/approval`, { method: 'POST', body });
  }

  /** Streams an outcome CSV to the import: `preview` stores nothing, `commit` stores all or nothing. */
  async importOutcomes(file: Blob, mode: 'preview' | 'commit'): Promise<OutcomeImportReport> {
    try {
      return await this.request(`/api/outcomes/import?mode=${mode}`, { method: 'POST', csv: file });
    } catch (error) {
      // A commit whose rows fail the check answers 422 with its report: the rows are shown as a check's are.
      if (error instanceof ApiError && error.status === 422 && error.problem && 'errorCount' in error.problem) return error.problem as unknown as OutcomeImportReport;
      throw error;
    }
  }

  /** Exchanges the bearer token for a short-lived board cookie; returns the board's URL. */
  openQueueBoard(): Promise<BoardSessionResponse> {
    return this.request('/api/ops/board-session', { method: 'POST', body: {} });
  }

  /** A page of people: `search` is a prefix of a name word or the email; `after` is the previous page's `next`; `without` keeps only those lacking that fact. */
  getAdminUsers(
    options: { search?: string; after?: string | null; limit?: number; without?: PeopleWithout | null } = {},
    signal?: AbortSignal,
  ): Promise<AdminUsersResponse> {
    const query = new URLSearchParams();
    if (options.search) query.set('search', options.search);
    if (options.without) query.set('without', options.without);
    if (options.after) query.set('after', options.after);
    if (options.limit) query.set('limit', String(options.limit));
    const qs = query.toString();
    return this.request(`/api/admin/users${qs ? `?${qs}` : ''}`, { signal });
  }

  setUserRoles(userId: string, roles: Role[], signal?: AbortSignal): Promise<AdminUserResponse> {
    return this.request(`/api/admin/users/${encodeURIComponent(userId)}/roles`, {
      method: 'PUT',
      body: { roles },
      signal,
    });
  }

  /* ---- Organisation directory ---- */

  /** Directory settings, sync state, people figures and recent issues (admin). */
  getDirectory(signal?: AbortSignal): Promise<DirectoryResponse> {
    return this.request('/api/admin/directory', { signal });
  }

  saveDirectorySettings(
    settings: DirectorySettings,
    signal?: AbortSignal,
  ): Promise<DirectorySettingsResponse> {
    return this.request('/api/admin/directory/settings', { method: 'PUT', body: settings, signal });
  }

  /** Queues a directory sync (`full` reads everyone again); 409 `graph_not_configured` without Graph. */
  startDirectorySync(full: boolean, signal?: AbortSignal): Promise<DirectorySyncResponse | undefined> {
    return this.request('/api/admin/directory/sync', { method: 'POST', body: { full }, signal });
  }

  /** Sends the HR file: `preview` writes nothing, `commit` writes only a file without errors. */
  importHrFile(file: Blob, mode: 'preview' | 'commit'): Promise<HrImportResponse> {
    return this.request(`/api/admin/directory/import?mode=${mode}`, { method: 'POST', csv: file });
  }

  /** Active people whose name words or email start with `search` (owners and admins). */
  getDirectoryPeople(
    options: { search?: string; limit?: number } = {},
    signal?: AbortSignal,
  ): Promise<DirectoryPeopleResponse> {
    const query = new URLSearchParams();
    if (options.search) query.set('search', options.search);
    if (options.limit) query.set('limit', String(options.limit));
    const qs = query.toString();
    return this.request(`/api/directory/people${qs ? `?${qs}` : ''}`, { signal });
  }

  /** Names of people already chosen (e.g. a saved programme's named people, up to 500), asked for in parts the API takes. */
  async getDirectoryPeopleByIds(ids: readonly string[], signal?: AbortSignal): Promise<DirectoryPeopleResponse> {
    const parts: string[][] = [];
    for (let i = 0; i < ids.length; i += PEOPLE_BY_IDS_MAX) parts.push(ids.slice(i, i + PEOPLE_BY_IDS_MAX));
    const answers = await Promise.all(
      parts.map((part) => this.request<DirectoryPeopleResponse>(`/api/directory/people?${new URLSearchParams({ ids: part.join(',') }).toString()}`, { signal })),
    );
    return { people: answers.flatMap((a) => a.people) };
  }

  /** Org units and job levels with head counts, and the time zones in use (owners and admins). */
  getDirectoryFacets(signal?: AbortSignal): Promise<DirectoryFacetsResponse> {
    return this.request('/api/directory/facets', { signal });
  }

  /* ---- Privacy ---- */

  /** Everything Coaching Pilots holds about the signed-in person, as a zip. */
  downloadMyData(signal?: AbortSignal): Promise<DownloadedFile> {
    return this.download('/api/me/export', 'application/zip', 'coaching-pilots-data.zip', signal);
  }

  /** Everything held about one person, as a zip, on their request (admin; audited). */
  downloadPersonData(userId: string, signal?: AbortSignal): Promise<DownloadedFile> {
    return this.download(`/api/admin/people/${encodeURIComponent(userId)}/export`, 'application/zip', 'coaching-pilots-data.zip', signal);
  }

  /** Step one of an erasure: what would be erased. Nothing is erased until it is confirmed. */
  requestErasure(userId: string, signal?: AbortSignal): Promise<ErasureRequest> {
    return this.request(`/api/admin/people/${encodeURIComponent(userId)}/erasure`, { method: 'POST', body: {}, signal });
  }

  /** Step two: the person's full name or email, typed; the erasure then runs in the background. */
  confirmErasure(erasureId: string, confirmation: string, signal?: AbortSignal): Promise<ErasureConfirmResponse> {
    return this.request(`/api/admin/erasures/${encodeURIComponent(erasureId)}/confirm`, { method: 'POST', body: { confirmation }, signal });
  }

  getErasure(erasureId: string, signal?: AbortSignal): Promise<ErasureStatus> {
    return this.request(`/api/admin/erasures/${encodeURIComponent(erasureId)}`, { signal });
  }

  /** The organisation's name, minimum group size, quiet hours and weekend (admin). */
  getOrganisationSettings(signal?: AbortSignal): Promise<OrganisationSettingsResponse> {
    return this.request('/api/admin/settings', { signal });
  }

  saveOrganisationSettings(settings: OrganisationSettings, signal?: AbortSignal): Promise<OrganisationSettingsSaved> {
    return this.request('/api/admin/settings', { method: 'PUT', body: settings, signal });
  }

  /** Retention periods, the last purge and any deletion of the organisation's data (admin). */
  getAdminPrivacy(signal?: AbortSignal): Promise<AdminPrivacyResponse> {
    return this.request('/api/admin/privacy', { signal });
  }

  saveRetention(changes: RetentionChange, signal?: AbortSignal): Promise<RetentionSettings> {
    return this.request('/api/admin/privacy/retention', { method: 'PUT', body: changes, signal });
  }

  /** Schedules the deletion of all the organisation's data; `confirmation` is its name, typed. */
  requestTenantDeletion(confirmation: string, signal?: AbortSignal): Promise<TenantDeletion> {
    return this.request('/api/admin/privacy/deletion', { method: 'POST', body: { confirmation }, signal });
  }

  cancelTenantDeletion(signal?: AbortSignal): Promise<TenantDeletion> {
    return this.request('/api/admin/privacy/deletion', { method: 'DELETE', signal });
  }

  getAudit(
    options: { limit?: number; before?: string | null } = {},
    signal?: AbortSignal,
  ): Promise<AuditResponse> {
    const query = new URLSearchParams({ limit: String(options.limit ?? 20) });
    if (options.before) query.set('before', options.before);
    return this.request(`/api/admin/audit?${query.toString()}`, { signal });
  }

  /* ---- Programme results (results dashboard) ---- */

  getProgramme(programmeId: string, signal?: AbortSignal): Promise<ProgrammeResponse> {
    return this.request(`/api/programmes/${encodeURIComponent(programmeId)}`, { signal });
  }

  getProgrammeResults(programmeId: string, signal?: AbortSignal): Promise<ProgrammeResultsResponse> {
    return this.request(`/api/programmes/${encodeURIComponent(programmeId)}/results`, { signal });
  }

  getProgrammeImpact(programmeId: string, signal?: AbortSignal): Promise<ImpactResponse> {
    return this.request(`/api/programmes/${encodeURIComponent(programmeId)}/impact`, { signal });
  }

  /** The team pulse with its `open` flag (the same endpoint as getPulseResults). */
  getResultsPulse(programmeId: string, signal?: AbortSignal): Promise<PulseResultsResponse> {
    return this.request(`/api/programmes/${encodeURIComponent(programmeId)}/pulse`, { signal });
  }

  /* ---- Metric catalogue ---- */

  /** Built-in metrics and the organisation's own, archived ones flagged, with the pulse statements (owner, sponsor, admin). */
  getMetrics(signal?: AbortSignal): Promise<CatalogueMetricsResponse> {
    return this.request('/api/metrics', { signal });
  }

  /** 409 when the key is taken or built in (admin; audited). */
  addMetric(metric: NewCatalogueMetric, signal?: AbortSignal): Promise<CatalogueMetricResponse> {
    return this.request('/api/admin/metrics', { method: 'POST', body: metric, signal });
  }

  /** Renames, archives or restores one of the organisation's own metrics (admin; audited). */
  changeMetric(key: string, change: CatalogueMetricChange, signal?: AbortSignal): Promise<CatalogueMetricResponse> {
    return this.request(`/api/admin/metrics/${encodeURIComponent(key)}`, { method: 'PATCH', body: change, signal });
  }

  /* ---- Practice rooms ---- */

  /** The scenario library, partner briefs included (owners and coaches). */
  getScenarios(signal?: AbortSignal): Promise<{ scenarios: Scenario[] }> {
    return this.request('/api/practice/scenarios', { signal });
  }

  addScenario(scenario: ScenarioBody, signal?: AbortSignal): Promise<{ scenario: Scenario }> {
    return this.request('/api/practice/scenarios', { method: 'POST', body: scenario, signal });
  }

  changeScenario(key: string, change: ScenarioChange, signal?: AbortSignal): Promise<{ scenario: Scenario }> {
    return this.request(`/api/practice/scenarios/${encodeURIComponent(key)}`, { method: 'PATCH', body: change, signal });
  }

  /** Opens rooms of three from the people booked on a role-play or practical session (coaches and owners). */
  openRooms(sessionId: string, body: OpenRoomsBody, signal?: AbortSignal): Promise<{ rooms: RoomSummary[] }> {
    return this.request(`/api/sessions/${encodeURIComponent(sessionId)}/rooms`, { method: 'POST', body, signal });
  }

  getSessionRooms(sessionId: string, signal?: AbortSignal): Promise<{ rooms: RoomSummary[] }> {
    return this.request(`/api/sessions/${encodeURIComponent(sessionId)}/rooms`, { signal });
  }

  /** The rooms the signed-in person is in, latest first. */
  getMyRooms(signal?: AbortSignal): Promise<{ rooms: RoomSummary[] }> {
    return this.request('/api/practice/rooms', { signal });
  }

  getRoom(roomId: string, signal?: AbortSignal): Promise<{ room: RoomView }> {
    return this.request(`/api/practice/rooms/${encodeURIComponent(roomId)}`, { signal });
  }

  startRound(roomId: string, round: number, signal?: AbortSignal): Promise<{ room: RoomView }> {
    return this.request(`/api/practice/rooms/${encodeURIComponent(roomId)}/rounds`, { method: 'POST', body: { round }, signal });
  }

  endRound(roomId: string, round: number, signal?: AbortSignal): Promise<{ room: RoomView }> {
    return this.request(`/api/practice/rooms/${encodeURIComponent(roomId)}/rounds/end`, { method: 'POST', body: { round }, signal });
  }

  /** One observer tap; resending the same tap (same id) is harmless. */
  sendTap(roomId: string, tap: TapBody, signal?: AbortSignal): Promise<{ tap: TapView }> {
    return this.request(`/api/practice/rooms/${encodeURIComponent(roomId)}/taps`, { method: 'POST', body: tap, signal });
  }

  rateRound(roomId: string, rating: RatingBody, signal?: AbortSignal): Promise<{ room: RoomView }> {
    return this.request(`/api/practice/rooms/${encodeURIComponent(roomId)}/rating`, { method: 'PUT', body: rating, signal });
  }

  markRound(roomId: string, answer: MarkersBody, signal?: AbortSignal): Promise<{ room: RoomView }> {
    return this.request(`/api/practice/rooms/${encodeURIComponent(roomId)}/markers`, { method: 'PUT', body: answer, signal });
  }

  getMyPractice(signal?: AbortSignal): Promise<MyPracticeResponse> {
    return this.request('/api/me/practice', { signal });
  }

  /** A manager's practice history, for their coach. */
  getPersonPractice(userId: string, signal?: AbortSignal): Promise<MyPracticeResponse> {
    return this.request(`/api/practice/people/${encodeURIComponent(userId)}`, { signal });
  }

  getProgrammePractice(programmeId: string, signal?: AbortSignal): Promise<PracticeCohortResponse> {
    return this.request(`/api/programmes/${encodeURIComponent(programmeId)}/practice`, { signal });
  }

  /* ---- The live channel ---- */

  /**
   * Opens the event stream, read with fetch so the token travels in the Authorization header (never
   * in the address); each reconnection asks for a fresh token and sends Last-Event-ID.
   */
  openStream(room?: string): EventSource {
    const url = new URL(`${this.baseUrl}/api/stream${room ? `?room=${encodeURIComponent(room)}` : ''}`, window.location.href);
    return new EventSource(url, {
      fetch: async (input, init) => {
        const token = await this.auth.getToken();
        return fetch(input, { ...init, credentials: 'same-origin', headers: { ...init.headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) } });
      },
    });
  }
}

/** Readable message for anything thrown by an API call, in the reader's language where the tab knows the refusal. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return problemWords(error.status, error.problem?.code, !!error.problem?.detail) ?? error.message;
  if (error instanceof Error && error.message) return error.message;
  return unknownProblem();
}

/**
 * The refusal's own sentence, without the field errors that `errorMessage` lists after it: for
 * forms that show those beside their fields.
 */
export function reasonOf(error: unknown): string {
  if (error instanceof ApiError) {
    const words = problemWords(error.status, error.problem?.code, !!error.problem?.detail);
    if (words) return words;
  }
  return (error instanceof ApiError && (error.problem?.detail || error.problem?.title)) || errorMessage(error);
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
