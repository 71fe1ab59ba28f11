import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { ZodError } from 'zod';
import { DomainError } from '../domain/errors';
import type { Problem } from './contract/common';

// Kept our own: Express has no RFC 9457 helper, and these few lines (every 4xx path is exercised by
// test/integration/bad-input.test.ts and fuzz.test.ts) are smaller than a dependency for them.

/** An RFC 9457 problem detail, sent as application/problem+json (its schema: contract/common.ts). */
export type { Problem } from './contract/common';

export class HttpProblem extends Error {
  constructor(readonly problem: Problem, readonly headers: Record<string, string> = {}) {
    super(problem.detail ?? problem.title);
  }
}

const TYPE_BASE = 'https://coaching-pilots.dev/problems/';

export const problems = {
  unauthorized: (detail: string) => new HttpProblem({ type: `${TYPE_BASE}unauthorized`, title: 'Sign-in required', status: 401, detail }, { 'WWW-Authenticate': 'Bearer' }),
  forbidden: () => new HttpProblem({ type: `${TYPE_BASE}forbidden`, title: 'Not allowed', status: 403, detail: 'Your role does not allow this action.' }),
  notFound: (detail = 'No such resource.') => new HttpProblem({ type: `${TYPE_BASE}not-found`, title: 'Not found', status: 404, detail }),
  unsupportedMediaType: () => new HttpProblem({ type: `${TYPE_BASE}unsupported-media-type`, title: 'Unsupported media type', status: 415, detail: 'Send the body as application/json.' }),
  tooManyRequests: (retryAfterSeconds: number) =>
    new HttpProblem({ type: `${TYPE_BASE}rate-limited`, title: 'Too many requests', status: 429, detail: `Try again in ${retryAfterSeconds} s.` }, { 'Retry-After': String(retryAfterSeconds) }),
  notAcceptable: (what: string) => new HttpProblem({ type: `${TYPE_BASE}not-acceptable`, title: 'Not acceptable', status: 406, detail: `Send Accept: ${what}.` }),
  liveUnavailable: () => new HttpProblem({ type: `${TYPE_BASE}live-unavailable`, title: 'Live updates are unavailable', status: 503, detail: 'Live updates are unavailable here; pages refresh by themselves instead.' }),
  tooManyStreams: (max: number) =>
    new HttpProblem({ type: `${TYPE_BASE}too-many-streams`, title: 'Too many live connections', status: 429, detail: `Close another Coaching Pilots window: at most ${max} may follow live updates at once.` }, { 'Retry-After': '30' }),
};

const DOMAIN_STATUS: Record<DomainError['kind'], number> = { not_found: 404, conflict: 409, invalid: 422, forbidden: 403, closed: 409 };

export function sendProblem(res: Response, problem: Problem, headers: Record<string, string> = {}): void {
  res.status(problem.status).set(headers).type('application/problem+json').send(JSON.stringify({ ...problem, instance: res.req.originalUrl }));
}

export function validationProblem(err: ZodError, where: 'body' | 'query' | 'params'): Problem {
  return {
    type: `${TYPE_BASE}validation`,
    title: 'Invalid request',
    status: 400,
    detail: `The request ${where} is not valid.`,
    errors: err.issues.map((i) => ({ path: [where, ...i.path.map(String)].join('.'), message: i.message })),
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => next(problems.notFound(`No route for ${req.method} ${req.path}.`));

/** The one place errors become responses: known problems keep their status, anything else is a 500 with no detail. */
export function errorHandler(log: { error: (obj: object, msg: string) => void }): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof HttpProblem) return sendProblem(res, err.problem, err.headers);
    if (err instanceof DomainError) {
      return sendProblem(res, { type: `${TYPE_BASE}${err.code.replace(/_/g, '-')}`, title: err.message, status: DOMAIN_STATUS[err.kind], detail: err.message, code: err.code, ...(err.errors.length ? { errors: err.errors } : {}) });
    }
    if (err instanceof ZodError) return sendProblem(res, validationProblem(err, 'body'));
    // body-parser errors carry a status and a type.
    const status = typeof err?.status === 'number' ? err.status : typeof err?.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 400 && status < 500) {
      const title = err.type === 'entity.parse.failed' ? 'Malformed JSON' : err.type === 'entity.too.large' ? 'Request body too large' : 'Bad request';
      return sendProblem(res, { type: `${TYPE_BASE}${String(err.type ?? 'bad-request').replace(/\./g, '-')}`, title, status, detail: title + '.' });
    }
    // The database is unreachable (restarting, failing over): a temporary condition, not a bug.
    if (/^Mongo(Network|ServerSelection|NotConnected|PoolCleared|NetworkTimeout)Error$/.test(String(err?.name)) || err?.name === 'MongooseServerSelectionError') {
      log.error({ err: err.message, reqId: req.id }, 'database unavailable');
      return sendProblem(res, { type: `${TYPE_BASE}unavailable`, title: 'Temporarily unavailable', status: 503, detail: 'The database is not reachable; try again shortly.' }, { 'Retry-After': '5' });
    }
    log.error({ err, reqId: req.id }, 'unhandled error');
    sendProblem(res, { type: `${TYPE_BASE}internal`, title: 'Something went wrong', status: 500, detail: 'The error was logged; please try again.' });
  };
}
