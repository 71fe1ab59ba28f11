import { useEffect, useMemo, useState } from 'react';
import { launchedFromTeams, withTimeout } from './host';

// Coaching Pilots inside a Teams meeting. teams-js is imported on demand, as everywhere in the tab,
// so a plain browser never downloads it for these checks.

const TEAMS_CALL_TIMEOUT_MS = 4000;
/** Longer: Teams opens the stage before it answers. */
const SHARE_TIMEOUT_MS = 15000;

// teams-js ErrorCode values, as numbers so that the message below needs no teams-js.
const PERMISSION_DENIED = 1000;
const UNAUTHORIZED_USER_OPERATION = 5000;
const NOT_SUPPORTED_ON_PLATFORM = 100;
const NOT_SUPPORTED_IN_CURRENT_CONTEXT = 501;
const USER_ABORT = 8000;

/**
 * The Teams frame this page runs in ('content', 'settings', 'sidePanel', 'meetingStage', …), or null
 * outside Teams, including when start-up fell back to browser mode.
 */
export async function teamsFrameContext(): Promise<string | null> {
  if (!launchedFromTeams()) return null;
  const { app } = await import('@microsoft/teams-js');
  // detectHost() initialised teams-js at start-up; if it could not, the tab runs as in a browser.
  if (!app.isInitialized()) return null;
  const context = await withTimeout(app.getContext(), TEAMS_CALL_TIMEOUT_MS, 'Teams context');
  return context.page.frameContext ?? null;
}

/**
 * An absolute address of this tab: this origin and path, an optional query (for Teams, `inTeams=1`
 * and any Teams placeholders), then the hash route, e.g. `practice` or `practice?room=…`.
 */
export function tabUrl(route: string, query?: string): string {
  return `${window.location.origin}${window.location.pathname}${query ? `?${query}` : ''}#/${route}`;
}

/** A failed Teams call, with Teams' error code when it gave one. */
export class TeamsCallError extends Error {
  constructor(
    readonly code: number | null,
    message: string,
  ) {
    super(message);
    this.name = 'TeamsCallError';
  }
}

function fromSdkError(error: { errorCode: number; message?: string }, what: string): TeamsCallError {
  return new TeamsCallError(error.errorCode, `${what} failed (Teams error ${error.errorCode}${error.message ? `: ${error.message}` : ''})`);
}

/** What to tell the user when sharing to the stage failed. */
export function stageShareFailureMessage(error: unknown): string {
  const code = error instanceof TeamsCallError ? error.code : null;
  switch (code) {
    case PERMISSION_DENIED:
      return 'Coaching Pilots does not have the permission it needs to share to the stage in this meeting (the Teams permission MeetingStage.Write.Chat). Ask the meeting organiser to remove the app from the meeting and add it again, or ask your Teams administrator to update Coaching Pilots.';
    case UNAUTHORIZED_USER_OPERATION:
      return 'Your role in this meeting does not allow sharing to the stage. Ask the organiser or a presenter to share it.';
    case NOT_SUPPORTED_ON_PLATFORM:
    case NOT_SUPPORTED_IN_CURRENT_CONTEXT:
      return 'Sharing to the stage works only from the Coaching Pilots side panel during a meeting.';
    case USER_ABORT:
      return 'Sharing to the stage was cancelled.';
    default:
      return `Teams could not share this to the meeting stage. Try again. (${error instanceof Error ? error.message : String(error)})`;
  }
}

async function checkStageSharing(): Promise<boolean> {
  // Sharing starts from the side panel; the stage itself and the other frames have nothing to share to.
  if ((await teamsFrameContext()) !== 'sidePanel') return false;
  const { meeting } = await import('@microsoft/teams-js');
  const capabilities = new Promise<boolean>((resolve, reject) => {
    meeting.getAppContentStageSharingCapabilities((error, result) => {
      if (error) reject(fromSdkError(error, 'Checking stage sharing'));
      else resolve(result?.doesAppHaveSharePermission === true);
    });
  });
  return withTimeout(capabilities, TEAMS_CALL_TIMEOUT_MS, 'Checking stage sharing');
}

// The frame and the app's permissions do not change while the page is open: ask Teams once.
let stageSharing: Promise<boolean> | null = null;

/** True when this page can share to the meeting stage: a meeting side panel, and Teams says yes. */
export function canShareToStage(): Promise<boolean> {
  stageSharing ??= checkStageSharing().catch((error: unknown) => {
    // Not shown to the user (the share button is simply absent); logged for whoever sets the app up.
    console.warn('Sharing to the meeting stage is not available.', error);
    return false;
  });
  return stageSharing;
}

/**
 * Shows a page on the meeting stage for everyone in the meeting. `url` is absolute (on a host in the
 * manifest's validDomains) or relative to this page, e.g. `#/practice?room=…`, which keeps this
 * page's `inTeams=1` so the stage signs in through Teams.
 */
export async function shareToStage(url: string): Promise<void> {
  const address = new URL(url, window.location.href).href;
  const { meeting } = await import('@microsoft/teams-js');
  const shared = new Promise<void>((resolve, reject) => {
    meeting.shareAppContentToStage((error, result) => {
      if (error) reject(fromSdkError(error, 'Sharing to the stage'));
      else if (result !== true) reject(new TeamsCallError(null, 'Teams did not confirm the share'));
      else resolve();
    }, address);
  });
  await withTimeout(shared, SHARE_TIMEOUT_MS, 'Sharing to the stage');
}

export interface StageSharing {
  /** False until Teams has answered, and outside a meeting side panel. */
  canShare: boolean;
  /** Rejects with a TeamsCallError (or a timeout); stageShareFailureMessage() words it. */
  share(url: string): Promise<void>;
}

/** Whether this page can share to the meeting stage, and the share itself. */
export function useStageSharing(): StageSharing {
  const [canShare, setCanShare] = useState(false);
  useEffect(() => {
    let live = true;
    void canShareToStage().then((can) => {
      if (live) setCanShare(can);
    });
    return () => {
      live = false;
    };
  }, []);
  return useMemo(() => ({ canShare, share: shareToStage }), [canShare]);
}
