/**
 * What the routes open before sign-in send: the tab's settings and, where dev sign-in is on, the
 * demo users and their tokens. Documented and (in tests) checked by the routes, and the tab's
 * types. Pure: zod and domain constants.
 */
import { z } from 'zod';
import { ROLES } from '../../domain/roles';
import { instant } from './common';

export const configResponse = z.object({ devSignIn: z.boolean(), clientId: z.string() });

export const devUser = z.object({ id: z.string(), name: z.string(), email: z.string(), roles: z.array(z.enum(ROLES)), tenantId: z.string(), tenantName: z.string() });
export const devUsersResponse = z.object({ users: z.array(devUser) });
export const devTokenBody = z.strictObject({ userId: z.string().min(1).max(64) });
export const devTokenResponse = z.object({ token: z.string(), expiresAt: instant });

export type ConfigResponse = z.output<typeof configResponse>;
export type DevUser = z.output<typeof devUser>;
export type DevUsersResponse = z.output<typeof devUsersResponse>;
export type DevTokenResponse = z.output<typeof devTokenResponse>;
