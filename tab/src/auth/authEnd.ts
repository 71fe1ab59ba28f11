/**
 * Last page of the Teams consent pop-up: Entra redirects here; report the outcome to the tab.
 * The tab only needs to know consent was given, then asks Teams for its SSO token again,
 * so the ID token in the fragment is not used.
 */
import { app, authentication } from '@microsoft/teams-js';
import { showMessage, STATE_KEY, styleDocument } from './shared';

async function finish(): Promise<void> {
  styleDocument();
  const result = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  let expected: string | null = null;
  try {
    expected = window.localStorage.getItem(STATE_KEY);
    window.localStorage.removeItem(STATE_KEY);
  } catch {
    // Treated as a state mismatch below.
  }

  try {
    await app.initialize();
  } catch {
    showMessage('This page only works inside the Coaching Pilots sign-in window. You can close it.');
    return;
  }

  const error = result.get('error');
  if (error) {
    showMessage('Access was not granted. You can close this window.');
    authentication.notifyFailure(result.get('error_description') ?? error);
  } else if (!expected || result.get('state') !== expected) {
    showMessage('Sign-in could not be verified. Close this window and try again.');
    authentication.notifyFailure('StateDoesNotMatch');
  } else {
    showMessage('Access granted. Returning to Coaching Pilots…');
    authentication.notifySuccess('consented');
  }
}

void finish();
