import type { Config } from '../../config';
import { DEFAULT_MIN_GROUP_SIZE } from '../../domain/impact';
import { defaultRetention, RETENTION_KIND_KEYS, RETENTION_KINDS } from '../../domain/retention';
import { DEMO_TENANT, DEMO_USERS } from '../../usecases/seed-demo';
import type { DevSignIn } from '../auth';
import { configResponse, devTokenBody, devTokenResponse, devUsersResponse } from '../contract/public';
import { privacyNoticeResponse, type PrivacyNoticeResponse } from '../contract/privacy';
import { problems } from '../problem';
import { defineRoute, type RouteDef } from '../route';

/** What the tab needs before sign-in (nothing secret), the OpenAPI document, and dev sign-in when enabled. */
export function publicRoutes(config: Config, dev: DevSignIn | null, openapi: () => unknown): RouteDef[] {
  const routes: RouteDef[] = [
    defineRoute({
      id: 'config.get',
      method: 'get',
      path: '/api/config',
      summary: 'Public settings for the tab',
      tags: ['public'],
      responses: { 200: { description: 'Settings', schema: configResponse } },
      handler: async () => ({ status: 200, body: { devSignIn: !!dev, clientId: config.ENTRA_CLIENT_ID } }),
    }),
    defineRoute({
      id: 'privacy.notice',
      method: 'get',
      path: '/api/privacy-notice',
      summary: 'The facts the public privacy notice states: operator, contact, default minimum group size and retention periods',
      tags: ['public'],
      responses: { 200: { description: 'Privacy notice facts (defaults; each organisation may change its own)', schema: privacyNoticeResponse } },
      handler: async () => {
        const days = defaultRetention();
        const body: PrivacyNoticeResponse = {
          operator: config.OPERATOR_NAME,
          contact: config.PRIVACY_CONTACT,
          minGroupSizeDefault: DEFAULT_MIN_GROUP_SIZE,
          retention: RETENTION_KIND_KEYS.map((kind) => ({ kind, label: RETENTION_KINDS[kind].label, days: days[kind] })),
        };
        return { status: 200, body };
      },
    }),
    defineRoute({
      id: 'openapi.get',
      method: 'get',
      path: '/api/openapi.json',
      summary: 'This OpenAPI document',
      tags: ['public'],
      responses: { 200: { description: 'OpenAPI 3.1' } },
      handler: async () => ({ status: 200, body: openapi() }),
    }),
  ];
  if (!dev) return routes;
  routes.push(
    defineRoute({
      id: 'dev.users',
      method: 'get',
      path: '/api/dev/users',
      summary: 'Dev sign-in only: the demo users one can sign in as',
      tags: ['dev'],
      responses: { 200: { description: 'Demo users', schema: devUsersResponse } },
      handler: async () => ({
        status: 200,
        body: { users: DEMO_USERS.map((u) => ({ id: u.userId, name: u.name, email: u.email, roles: u.roles, tenantId: DEMO_TENANT.tenantId, tenantName: DEMO_TENANT.name })) },
      }),
    }),
    defineRoute({
      id: 'dev.token',
      method: 'post',
      path: '/api/dev/token',
      summary: 'Dev sign-in only: a token for a demo user',
      tags: ['dev'],
      body: devTokenBody,
      responses: { 200: { description: 'A bearer token', schema: devTokenResponse } },
      handler: async ({ body }) => {
        const user = DEMO_USERS.find((u) => u.userId === body.userId);
        if (!user) throw problems.notFound('No demo user has that id.');
        const issued = await dev.issue({ tenantId: DEMO_TENANT.tenantId, userId: user.userId, name: user.name, email: user.email, roles: user.roles });
        return { status: 200, body: issued };
      },
    }),
  );
  return routes;
}
