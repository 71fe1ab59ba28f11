/** Teams single sign-on: the SSO token, and the consent pop-up when Entra asks for it. */
import type { IntlShape } from 'react-intl';

/** A token for this app from Teams SSO (Teams caches and refreshes it). */
export async function getTeamsToken(): Promise<string> {
  const { authentication } = await import('@microsoft/teams-js');
  return authentication.getAuthToken();
}

/** True when SSO failed only because the user (or an admin) has not consented yet. */
export function needsConsent(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  return /resourceRequiresConsent|invalid_grant|interaction_required|consent_required/i.test(text);
}

export interface ConsentRequest {
  clientId: string;
  tenantId: string | null;
  loginHint: string | null;
}

/** Opens the consent pop-up (auth-start.html → Entra → auth-end.html) and waits for it. */
export async function requestConsent(request: ConsentRequest): Promise<void> {
  const { authentication } = await import('@microsoft/teams-js');
  const params = new URLSearchParams({ clientId: request.clientId });
  if (request.tenantId) params.set('tenantId', request.tenantId);
  if (request.loginHint) params.set('loginHint', request.loginHint);
  await authentication.authenticate({
    url: `${window.location.origin}/auth-start.html?${params.toString()}`,
    width: 600,
    height: 535,
  });
}

/** Readable text for a failed consent pop-up. */
export function consentFailureMessage(intl: IntlShape, error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if (/CancelledByUser/i.test(text)) {
    return intl.formatMessage({ id: 'app.consent.cancelled' });
  }
  return intl.formatMessage({ id: 'app.consent.notGranted' }, { reason: text });
}
