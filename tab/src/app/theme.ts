import {
  teamsDarkTheme,
  teamsHighContrastTheme,
  teamsLightTheme,
  type Theme,
} from '@fluentui/react-components';

/** The three Teams themes, named as Teams names them. */
export type ThemeName = 'default' | 'dark' | 'contrast';

/** Accepts a Teams theme name (or anything else, which means the light theme). */
export function toThemeName(value: string | null | undefined): ThemeName {
  return value === 'dark' || value === 'contrast' ? value : 'default';
}

/** Reads `?theme=` so the first paint already uses the right theme. */
export function themeFromUrl(search: string = window.location.search): ThemeName {
  return toThemeName(new URLSearchParams(search).get('theme'));
}

/**
 * `?theme=` when the address names one, else the system's setting: the public pages are opened
 * in a plain browser (from the app's details in Teams), where nothing else says which to use.
 */
export function themeFromUrlOrSystem(search: string = window.location.search): ThemeName {
  const named = new URLSearchParams(search).get('theme');
  if (named !== null) return toThemeName(named);
  if (window.matchMedia('(forced-colors: active)').matches) return 'contrast';
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'default';
}

export function fluentTheme(name: ThemeName): Theme {
  switch (name) {
    case 'dark':
      return teamsDarkTheme;
    case 'contrast':
      return teamsHighContrastTheme;
    default:
      return teamsLightTheme;
  }
}

/** Paints the document behind React in the theme's background, so there is no white flash. */
export function paintDocument(name: ThemeName): void {
  const theme = fluentTheme(name);
  const root = document.documentElement;
  root.style.backgroundColor = theme.colorNeutralBackground3;
  root.style.colorScheme = name === 'default' ? 'light' : 'dark';
}
