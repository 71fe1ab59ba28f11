import { publicPageAt } from './publicPaths';
import { startLoading } from './startup';

// main.tsx imports this module first, and ES modules run in import order: the start-up calls and
// chunk downloads go out before React, Fluent UI and the pages' modules run (about 100 ms here).
if (!publicPageAt()) startLoading();
