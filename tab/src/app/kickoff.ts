import { publicPageAt } from './publicPaths';
import { startLoading } from './startup';

// main.tsx imports this module first, and ES modules run in import order: the start-up calls and
// chunk downloads go out before React, Fluent UI and the pages' modules run (in the bench's
// waterfall the account call now leaves with the settings call, not after every module has run).
if (!publicPageAt()) startLoading();
