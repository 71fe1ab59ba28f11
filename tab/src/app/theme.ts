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

/** True when the address fixes the theme, so no choice is offered. */
export function themeNamedInUrl(search: string = window.location.search): boolean {
  return new URLSearchParams(search).has('theme');
}

/** What a person chose outside Teams: a theme, or to follow the operating system. */
export type ThemeChoice = 'system' | ThemeName;
export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'default', 'dark', 'contrast'];
const CHOICE_KEY = 'coaching-pilots.theme';

export function storedThemeChoice(): ThemeChoice {
  try {
    const value = window.localStorage.getItem(CHOICE_KEY);
    return (THEME_CHOICES as readonly (string | null)[]).includes(value) ? (value as ThemeChoice) : 'system';
  } catch {
    return 'system'; // storage blocked (private mode, a sandboxed frame)
  }
}

export function storeThemeChoice(choice: ThemeChoice): void {
  try {
    if (choice === 'system') window.localStorage.removeItem(CHOICE_KEY);
    else window.localStorage.setItem(CHOICE_KEY, choice);
  } catch {
    // Not kept across visits; the choice still holds for this page.
  }
}

/** The operating system's setting: forced colours, else dark or light. */
export function systemTheme(): ThemeName {
  if (window.matchMedia('(forced-colors: active)').matches) return 'contrast';
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'default';
}

export function resolveTheme(choice: ThemeChoice): ThemeName {
  return choice === 'system' ? systemTheme() : choice;
}

/** Calls `handler` whenever the system's light/dark or forced-colours setting changes. */
export function onSystemThemeChange(handler: () => void): () => void {
  const queries = ['(forced-colors: active)', '(prefers-color-scheme: dark)'].map((q) => window.matchMedia(q));
  for (const q of queries) q.addEventListener('change', handler);
  return () => {
    for (const q of queries) q.removeEventListener('change', handler);
  };
}

/**
 * `?theme=` when the address names one (Teams puts it in the content URL; tests use it), else
 * the person's own choice, else the system's setting: outside Teams nothing else says which.
 */
export function themeFromUrlOrChoice(search: string = window.location.search): ThemeName {
  const named = new URLSearchParams(search).get('theme');
  if (named !== null) return toThemeName(named);
  return resolveTheme(storedThemeChoice());
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
