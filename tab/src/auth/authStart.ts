/**
 * First page of the Teams consent pop-up: sends the user to the Microsoft Entra authorize
 * endpoint with `prompt=consent`, so they can grant the app access to their account.
 * The app registration needs `<origin>/auth-end.html` as a redirect URI with ID tokens enabled.
 */
import { showMessage, STATE_KEY, styleDocument } from './shared';

function randomValue(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function start(): void {
  styleDocument();
  const params = new URLSearchParams(window.location.search);
  const clientId = params.get('clientId');
  if (!clientId) {
    showMessage(
      'Sign-in is not configured: Coaching Pilots did not provide its Microsoft Entra client id. Close this window and ask your administrator.',
    );
    return;
  }
  const tenant = params.get('tenantId') || 'organizations';
  const state = randomValue();
  try {
    window.localStorage.setItem(STATE_KEY, state);
  } catch {
    showMessage('Sign-in needs browser storage, which is turned off. Close this window and try again.');
    return;
  }

  const authorize = new URL(
    `https://login.microsoftonline.com/${encodeURIComponent(tenant)}/oauth2/v2.0/authorize`,
  );
  const query = authorize.searchParams;
  query.set('client_id', clientId);
  query.set('response_type', 'id_token');
  query.set('response_mode', 'fragment');
  query.set('redirect_uri', `${window.location.origin}/auth-end.html`);
  // The SSO scope Teams asks for: consenting to it is what lets getAuthToken() succeed.
  query.set('scope', `openid profile api://${window.location.host}/${clientId}/access_as_user`);
  query.set('prompt', 'consent');
  query.set('state', state);
  query.set('nonce', randomValue());
  const loginHint = params.get('loginHint');
  if (loginHint) query.set('login_hint', loginHint);

  window.location.assign(authorize.toString());
}

start();
