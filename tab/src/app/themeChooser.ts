import { createContext } from 'react';
import type { ThemeChoice } from './theme';

export interface ThemeChooser {
  choice: ThemeChoice;
  choose: (choice: ThemeChoice) => void;
}

/**
 * Present only outside Teams (where Teams' own theme rules) and when the address names none. Its
 * own module, without Fluent's menu, so the first download does not carry the menu.
 */
export const ThemeChooserContext = createContext<ThemeChooser | null>(null);
