/** The pages the Teams manifest links to (privacyUrl, termsOfUseUrl): readable without signing in. */
export const PUBLIC_PATHS = { privacy: '/privacy', terms: '/terms' } as const;

export type PublicPageName = keyof typeof PUBLIC_PATHS;

/** The public page at this address, if it is one (a trailing slash is the same page). */
export function publicPageAt(pathname: string = window.location.pathname): PublicPageName | null {
  const path = pathname.replace(/\/+$/, '');
  for (const name of Object.keys(PUBLIC_PATHS) as PublicPageName[]) if (PUBLIC_PATHS[name] === path) return name;
  return null;
}
