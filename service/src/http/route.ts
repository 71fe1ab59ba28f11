import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Deps } from '../usecases/deps';
import type { SignedIn } from '../usecases/sign-in';
import type { RouteId } from './policy';

/** Everything a route handler may use. */
export interface HandlerContext<P, B, Q> {
  deps: Deps;
  caller: SignedIn;
  params: P;
  body: B;
  query: Q;
  req: Request;
  res: Response;
}

export interface RouteResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * One HTTP route: its policy id, its schemas (which validate requests AND produce the OpenAPI
 * document) and a handler that calls a use-case and maps the result.
 */
export interface RouteDef<P = any, B = any, Q = any> {
  id: RouteId;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  tags: string[];
  params?: z.ZodType<P>;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  handler: (ctx: HandlerContext<P, B, Q>) => Promise<RouteResult | void>;
}

export function defineRoute<P, B, Q>(def: RouteDef<P, B, Q>): RouteDef<P, B, Q> {
  return def;
}

/** A path parameter that is a MongoDB object id; malformed ones are 404 at the use-case, so accept any short string here. */
export const idParam = z.string().min(1).max(64);

/**
 * A person's id (an Entra object id) or another opaque id in a path: printable ASCII only, since a
 * NUL or other control character is never an id and FerretDB's PostgreSQL backend cannot store one.
 */
export const textIdParam = z.string().min(1).max(64).regex(/^[\x20-\x7e]+$/, 'not an id');
