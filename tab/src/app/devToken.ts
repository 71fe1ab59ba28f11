import { isRole, type DevTokenResponse, type Role } from '../api/types';

/** Where the development sign-in keeps its token: this browser tab only. */
const KEY = 'coaching-pilots.dev-token';
/** Treat a token as expired slightly early, so a call never races its expiry. */
const EXPIRY_SKEW_MS = 10_000;

/** Fallback for browsers where sessionStorage is unavailable. */
let memory: DevTokenResponse | null = null;

function isExpired(token: Partial<DevTokenResponse>, now: number): boolean {
  const expiresAt = token.expiresAt ? Date.parse(token.expiresAt) : NaN;
  return !token.token || (Number.isFinite(expiresAt) && expiresAt - EXPIRY_SKEW_MS <= now);
}

export function readDevToken(now: number = Date.now()): string | null {
  let stored: Partial<DevTokenResponse> | null = memory;
  try {
    const raw = window.sessionStorage.getItem(KEY);
    if (raw) stored = JSON.parse(raw) as Partial<DevTokenResponse>;
  } catch {
    // Unreadable storage: fall back to the in-memory copy.
  }
  if (!stored || isExpired(stored, now)) {
    clearDevToken();
    return null;
  }
  return stored.token ?? null;
}

/**
 * The roles a token's app-role claim names (`Coaching.TeamMember` is `team_member`), in its order;
 * null when it names none or cannot be read. Only a hint, to start the first page's downloads
 * before the account call answers: the account's roles decide what is shown.
 */
export function rolesInToken(token: string): Role[] | null {
  try {
    const payload: unknown = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')));
    const claim = (payload as { roles?: unknown }).roles;
    if (!Array.isArray(claim)) return null;
    const roles = claim
      .map((value) => (typeof value === 'string' ? value.replace(/^Coaching\./, '').replace(/(?<=.)([A-Z])/g, '_$1').toLowerCase() : null))
      .filter(isRole);
    return roles.length > 0 ? roles : null;
  } catch {
    return null;
  }
}

export function saveDevToken(token: DevTokenResponse): void {
  memory = token;
  try {
    window.sessionStorage.setItem(KEY, JSON.stringify(token));
  } catch {
    // Storage can be disabled; the session then lasts until the next reload.
  }
}

export function clearDevToken(): void {
  memory = null;
  try {
    window.sessionStorage.removeItem(KEY);
  } catch {
    // Nothing stored.
  }
}
