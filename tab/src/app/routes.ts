import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Role } from '../api/types';
import type { PageProps } from '../pages/types';

type LazyPage = LazyExoticComponent<ComponentType<PageProps>>;

/** One home page per role, each in its own chunk. */
export const ROLE_PAGES: Record<Role, LazyPage> = {
  sponsor: lazy(() => import('../pages/sponsor')),
  owner: lazy(() => import('../pages/owner')),
  manager: lazy(() => import('../pages/manager')),
  team_member: lazy(() => import('../pages/team_member')),
  coach: lazy(() => import('../pages/coach')),
  ops: lazy(() => import('../pages/ops')),
  admin: lazy(() => import('../pages/admin')),
};

/** Pages reached by address rather than by a role tab, e.g. `#/feedback?request=…`. */
export const EXTRA_PAGES: Record<string, LazyPage> = {
  feedback: lazy(() => import('../pages/feedback')),
  /** `#/results?programme=…`: the results dashboard for sponsors and owners. */
  results: lazy(() => import('../pages/results')),
  /** `#/outcomes`: import outcome figures from CSV (owners and admins). */
  outcomes: lazy(() => import('../pages/outcomes')),
};
