import type { Logger } from 'pino';
import type { Models } from '../data/models';
import type { OutboxPublisher } from '../events/outbox';

/** What every use-case may touch: the repositories (models), the outbox publisher, a clock and a logger. */
export interface Deps {
  models: Models;
  publisher: OutboxPublisher;
  log: Logger;
  now: () => Date;
}

/** The signed-in caller, as established by authentication. */
export interface Caller {
  tenantId: string;
  userId: string;
  roles: readonly string[];
}
