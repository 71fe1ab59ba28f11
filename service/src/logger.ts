import pino, { type Logger } from 'pino';

/** Structured JSON logs; credentials are redacted wherever they appear. */
export function createLogger(level: string, name: string): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', 'authorization', 'token', '*.token', 'password', '*.password', 'secret', '*.secret'],
      censor: '[redacted]',
    },
  });
}
