import type { Models } from '../../service/src/data/models';
import { createLogger } from '../../service/src/logger';
import { seedDemo } from '../../service/src/usecases/seed-demo';

/**
 * Seeds the demo organisation into a test stack's database, through the same use-cases as
 * `npm start`. Its events stay in their documents' outboxes, as when Redis is briefly away: the
 * stack's relay queues them, and a stack without workers leaves them be.
 */
export function seedDemoInto(models: Models): Promise<{ programmeId: string }> {
  return seedDemo({ models, publisher: { publish: async () => false, publishAll: async () => false }, log: createLogger('silent', 'seed'), now: () => new Date() });
}
