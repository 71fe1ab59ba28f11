import { z } from 'zod';
import { problemSchema } from './contract/common';
import { POLICY } from './policy';
import type { RouteDef } from './route';

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

/** Express `:name` to OpenAPI `{name}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** The OpenAPI 3.1 document, generated from the same route definitions that serve requests. */
export function buildOpenApi(routes: readonly RouteDef[], serverUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const access = POLICY[r.id];
    const parameters = [...(r.path.matchAll(/:([A-Za-z0-9_]+)/g))].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    if (r.query) {
      const q = jsonSchema(r.query) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(q.properties ?? {})) parameters.push({ name, in: 'query', required: (q.required ?? []).includes(name), schema } as never);
    }
    const responses: Record<string, unknown> = {};
    for (const [status, resp] of Object.entries(r.responses)) {
      responses[status] = resp.schema ? { description: resp.description, content: { 'application/json': { schema: jsonSchema(resp.schema) } } } : { description: resp.description };
    }
    responses.default = { description: 'Error', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
    const item = (paths[openApiPath(r.path)] ??= {});
    item[r.method] = {
      operationId: r.id,
      summary: r.summary,
      tags: r.tags,
      'x-roles': access,
      ...(access === 'public' ? { security: [] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Coaching Pilots for Microsoft Teams API', version: '0.1.0' },
    servers: [{ url: serverUrl }],
    security: [{ teamsSso: [] }],
    components: {
      securitySchemes: { teamsSso: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Teams SSO access token (Entra ID), scope access_as_user' } },
      schemas: { Problem: jsonSchema(problemSchema) },
    },
    paths,
  };
}
