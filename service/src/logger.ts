import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type Logger } from 'pino';

/**
 * The correlation fields of the work in progress (a job's id, event and tenant). Every log line
 * written while it runs carries them, however deep the call that logs.
 */
export const correlation = new AsyncLocalStorage<Record<string, string>>();

/** Structured JSON logs; credentials are redacted wherever they appear. */
export function createLogger(level: string, name: string): Logger {
  return pino({
    name,
    level,
    mixin: () => correlation.getStore() ?? {},
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', 'authorization', 'token', '*.token', 'password', '*.password', 'secret', '*.secret'],
      censor: '[redacted]',
    },
  });
}
