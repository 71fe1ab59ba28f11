import type { Logger } from 'pino';
import type { Models } from '../data/models';
import type { OutboxPublisher } from '../events/outbox';
import type { Push } from '../events/push';

/** What every use-case may touch: the repositories (models), the outbox publisher, a clock and a logger. */
export interface Deps {
  models: Models;
  /** Publishes a document's outbox entries now; what it cannot publish the relay does later. */
  publisher: Pick<OutboxPublisher, 'publish' | 'publishAll'>;
  log: Logger;
  now: () => Date;
  /** Live events for open streams; absent where nothing listens (scripts, some tests), and then streams catch up from stored state. */
  push?: Push;
}

/** The signed-in caller, as established by authentication. */
export interface Caller {
  tenantId: string;
  userId: string;
  roles: readonly string[];
}
