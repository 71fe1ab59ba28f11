import { listMyProgrammes } from '../../usecases/my-programmes';
import { meSchema, myProgrammesResponse } from '../contract/enrolments';
import { defineRoute, type RouteDef } from '../route';

export function meRoutes(): RouteDef[] {
  return [
    defineRoute({
      id: 'me.get',
      method: 'get',
      path: '/api/me',
      summary: 'Who is signed in, in which organisation, with which roles',
      tags: ['me'],
      responses: { 200: { description: 'The caller', schema: meSchema } },
      handler: async ({ caller }) => ({
        status: 200,
        body: { user: { id: caller.userId, name: caller.name, email: caller.email }, tenant: { id: caller.tenantId, name: caller.tenantName }, roles: caller.roles },
      }),
    }),
    defineRoute({
      id: 'me.programmes',
      method: 'get',
      path: '/api/me/programmes',
      summary: "Programmes the manager is eligible for, with seats, sessions and the manager's enrolment",
      tags: ['enrolment'],
      responses: { 200: { description: 'Eligible programmes', schema: myProgrammesResponse } },
      handler: async ({ deps, caller }) => ({ status: 200, body: { programmes: await listMyProgrammes(deps, caller) } }),
    }),
  ];
}
