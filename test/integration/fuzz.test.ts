import { randomUUID } from 'node:crypto';
import { APP_ROLE, EntraStandIn } from '../support/entra';
import { createOpenProgramme, createUsers } from '../support/fixtures';
import { Stack } from '../support/stack';

/**
 * Malformed and hostile input against every route, generated from the OpenAPI document: wrong
 * types, missing and extra fields, huge strings and arrays, `$` and `.` keys, unicode edge cases,
 * invalid ids. No 5xx, nothing written, and the process stays healthy.
 */
describe('fuzzing every route from the OpenAPI document', () => {
  let entra: EntraStandIn;
  let stack: Stack;
  const tenantId = randomUUID();
  let token: string;

  beforeAll(async () => {
    entra = await EntraStandIn.start();
    stack = await Stack.start({ env: { ...entra.env(), RATE_LIMIT_IP_PER_MIN: '10000000', RATE_LIMIT_USER_PER_MIN: '10000000', LOG_LEVEL: 'error' } }, { startWorkers: false });
    const [user] = await createUsers(stack.models, tenantId, 1, ['manager']);
    await createOpenProgramme(stack.models, tenantId, 3);
    token = await entra.token({ tenantId, userId: user!.userId, roles: Object.values(APP_ROLE) });
  });
  afterAll(async () => {
    await stack?.stop();
    await entra?.close();
  });

  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

  const BAD_IDS = ['x', '$gt', '..%2F..', '%00', 'a'.repeat(300), '{"$ne":1}', '0'.repeat(23), 'zzzzzzzzzzzzzzzzzzzzzzzz', '%E2%80%AE', '-1', 'null', '__proto__'];
  const WRONG_VALUES: unknown[] = [null, true, 0, -1, 1e308, 'text', '', [], {}, [1, 2], { $gt: '' }, { $where: 'sleep(1000)' }, '\u0000', '\ud800'];
  const HOSTILE_KEYS = ['$where', '$set', 'a.b', '__proto__', 'constructor', '\u202e', '', ' '];

  /** A plausible base value for a JSON schema (types only; the mutations make it invalid). */
  function base(schema: any): unknown {
    if (!schema) return {};
    if (schema.oneOf || schema.anyOf) return base((schema.oneOf ?? schema.anyOf)[0]);
    if (schema.enum) return schema.enum[0];
    if (schema.const !== undefined) return schema.const;
    switch (schema.type) {
      case 'object':
        return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, base(v)]));
      case 'array':
        return [];
      case 'string':
        return schema.format === 'date-time' ? new Date().toISOString() : 'abc';
      case 'integer':
      case 'number':
        return 1;
      case 'boolean':
        return true;
      default:
        return 'abc';
    }
  }

  /** One invalid-by-construction variant of a body. */
  function mutate(schema: any): { body?: unknown; raw?: string; type?: string } {
    const b = base(schema) as Record<string, unknown>;
    const props = Object.keys(schema?.properties ?? {});
    const required: string[] = schema?.required ?? [];
    switch (Math.floor(rand() * 9)) {
      case 0:
        return { body: pick([null, [], 42, 'text', true]) };
      case 1:
        if (required.length) {
          const copy = { ...b };
          delete copy[pick(required)];
          return { body: copy };
        }
        return { body: { ...b, [pick(HOSTILE_KEYS)]: 1 } };
      case 2:
        if (props.length) {
          const k = pick(props);
          const prop = schema.properties[k];
          const wrong = WRONG_VALUES.filter((v) => typeof v !== (prop.type === 'integer' ? 'number' : prop.type) && !(Array.isArray(v) && prop.type === 'array'));
          return { body: { ...b, [k]: pick(wrong) } };
        }
        return { body: { unexpected: 1 } };
      case 3:
        return { body: { ...b, [pick(HOSTILE_KEYS)]: pick(WRONG_VALUES) } };
      case 4:
        return { body: { ...b, [props.length ? pick(props) : 'x']: 'é'.repeat(50_000) } }; // > 64 KB
      case 5:
        return { body: { ...b, [props.length ? pick(props) : 'x']: Array.from({ length: 20_000 }, (_, i) => i) } };
      case 6:
        return { raw: pick(['{', '{"a":', '[{]', '\u0000', '{"a":1}}', 'null null', '\ud800']), type: 'application/json' };
      case 7:
        return { raw: 'a=1&b=2', type: pick(['application/x-www-form-urlencoded', 'text/plain', 'application/xml']) };
      default:
        return { body: { ...b, $where: '1', 'nested.key': { $gt: '' } } };
    }
  }

  test('10,000 hostile requests: never a 5xx, nothing written, still healthy', async () => {
    const spec = (await stack.request('GET', '/api/openapi.json')).json;
    const ops: { method: string; path: string; op: any }[] = [];
    for (const [path, item] of Object.entries<any>(spec.paths)) for (const [method, op] of Object.entries<any>(item)) ops.push({ method: method.toUpperCase(), path, op });
    expect(ops.length).toBeGreaterThan(40);
    const targets = ops.filter((o) => o.op.requestBody || o.path.includes('{') || o.op.parameters?.some((p: any) => p.in === 'query'));
    const counts = async () => Object.fromEntries(await Promise.all(Object.entries(stack.models).map(async ([name, m]) => [name, await (m as any).countDocuments({})])));
    await stack.request('GET', '/api/me', { token }); // sign-in creates the caller's records first
    const before = await counts();

    const statuses = new Map<number, number>();
    const fivexx: string[] = [];
    let sent = 0;
    const TOTAL = 10_000;
    const worker = async () => {
      while (sent < TOTAL) {
        sent += 1;
        const t = pick(targets);
        const path = t.path.replace(/\{[^}]+\}/g, () => (rand() < 0.7 ? pick(BAD_IDS) : 'f'.repeat(24))) + (t.op.parameters?.some((p: any) => p.in === 'query') ? `?${pick(['mode=nope', 'managerId=%24ne', 'search=' + 'x'.repeat(500), 'limit=-5', 'before=yesterday', 'unknown=1'])}` : '');
        const schema = t.op.requestBody?.content?.['application/json']?.schema;
        const m = t.op.requestBody ? mutate(schema) : {};
        const res = await stack.request(t.method, path, { token, body: m.body, rawBody: m.raw, headers: m.type ? { 'content-type': m.type } : {} });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) fivexx.push(`${t.method} ${path} ${JSON.stringify(m).slice(0, 200)} → ${res.status} ${res.text.slice(0, 200)}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(sent).toBeGreaterThanOrEqual(TOTAL);
    expect(fivexx.slice(0, 5)).toEqual([]);
    // Every answer was a clear client error (problem+json); none was a success that could have written.
    expect([...statuses.keys()].every((s) => s >= 400 && s < 500)).toBe(true);
    expect(await counts()).toEqual(before);
    expect((await stack.request('GET', '/healthz')).status).toBe(200);
    expect((await stack.request('GET', '/readyz')).status).toBe(200);
  }, 300000);
});
