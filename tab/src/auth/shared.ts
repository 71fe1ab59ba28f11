/** Shared by the two pages of the Teams consent pop-up. */

/** Where auth-start keeps the `state` value that auth-end must see again. */
export const STATE_KEY = 'coaching-pilots.consent-state';

/** Replaces the page's status line, so the pop-up always says what is happening. */
export function showMessage(text: string): void {
  const element = document.getElementById('message');
  if (element) element.textContent = text;
}

/** Plain system styling: these pages are on screen for a moment only. */
export function styleDocument(): void {
  const style = document.body.style;
  style.fontFamily = "'Segoe UI', system-ui, -apple-system, sans-serif";
  style.margin = '2rem';
  style.lineHeight = '1.5';
}
