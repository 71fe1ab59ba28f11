import { publicPageAt } from './publicPaths';
import { startLoading } from './startup';

// main.tsx imports this module first, and ES modules run in import order: the start-up calls and
// chunk downloads go out before React, Fluent UI and the pages' modules run (the account call
// went out 40–70 ms earlier in the bench's waterfall).
if (!publicPageAt()) startLoading();
