import type { Model } from 'mongoose';
import type { Logger } from 'pino';
import { EVENT_QUEUES, jobIdFor, type AggregateKind, type EventJob, type EventType } from './contracts';
import type { Queues } from './queues';
import { ANY_TENANT } from '../data/tenant-guard';
import { inLanes } from '../lanes';

interface StoredEntry {
  id: string;
  type: string;
  at: Date;
}

interface OutboxDoc {
  _id: unknown;
  tenantId: string;
  outbox: readonly StoredEntry[];
}

/** The collections whose documents carry an outbox, by aggregate kind. */
export type OutboxSources = Record<AggregateKind, Model<any>>;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`queue did not answer within ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/**
 * Moves outbox entries into their queues, then removes them from the document. Adding is
 * idempotent (deterministic job ids), so a crash between the two steps only causes a harmless
 * re-add by the relay.
 */
export class OutboxPublisher {
  constructor(
    private readonly queues: Queues,
    private readonly sources: OutboxSources,
    private readonly timeoutMs: number,
    private readonly log: Logger,
  ) {}

  /** Publishes what one document holds; returns false (and leaves the entries) when Redis is unreachable. */
  publish(aggregate: AggregateKind, doc: OutboxDoc): Promise<boolean> {
    return this.publishAll(aggregate, [doc]);
  }

  /**
   * Publishes the given entries of several documents: one queue add per queue, then each entry
   * removed from its document. A document may list only some of its entries (those its caller just
   * wrote); the others stay for their own publisher or the relay.
   */
  async publishAll(aggregate: AggregateKind, docs: readonly OutboxDoc[]): Promise<boolean> {
    const pending = docs.filter((d) => d.outbox.length > 0);
    if (pending.length === 0) return true;
    try {
      await this.addJobs(aggregate, pending);
      await this.removeEntries(aggregate, pending);
      return true;
    } catch (err) {
      this.log.warn({ err, aggregate, ids: pending.map((d) => String(d._id)) }, 'outbox publish deferred to relay');
      return false;
    }
  }

  /**
   * One relay pass: re-publishes entries older than `minAgeMs`, in bulk, and clears the mark of
   * documents whose outbox is empty (left by removals that raced). Returns how many were queued.
   */
  async relayOnce(minAgeMs: number, batchSize = 500): Promise<number> {
    let total = 0;
    for (const aggregate of Object.keys(this.sources) as AggregateKind[]) {
      const cutoff = new Date(Date.now() - minAgeMs);
      const marked = (await this.sources[aggregate]
        .find({ tenantId: ANY_TENANT, outboxPending: true }, { tenantId: 1, outbox: 1 })
        .limit(batchSize)
        .lean()) as unknown as OutboxDoc[];
      const due = marked.map((d) => ({ ...d, outbox: d.outbox.filter((e) => e.at < cutoff) })).filter((d) => d.outbox.length > 0);
      const emptied = marked.filter((d) => d.outbox.length === 0);
      if (due.length > 0) await this.addJobs(aggregate, due);
      await this.removeEntries(aggregate, [...due, ...emptied]);
      total += due.reduce((n, d) => n + d.outbox.length, 0);
    }
    return total;
  }

  /** Documents with outbox entries still waiting for a queue (for readiness and ops). */
  async backlog(): Promise<number> {
    let n = 0;
    for (const model of Object.values(this.sources)) n += await model.countDocuments({ tenantId: ANY_TENANT, outboxPending: true });
    return n;
  }

  /**
   * Removes the queued entries from their documents, by `_id` (not the tenant), through the driver's
   * collection (the tenant guard is a mongoose hook): each document was just read or written, with
   * its tenant, by this publisher's caller, and the entries it removes carry random ids.
   * When the outbox holds exactly these entries (the usual case) it is emptied and unmarked in one
   * write, matched on the whole array; otherwise only these entries are pulled and the mark stays
   * for the others (the relay clears a mark left on an empty outbox).
   */
  private async removeEntries(aggregate: AggregateKind, docs: readonly OutboxDoc[]): Promise<void> {
    const collection = this.sources[aggregate].collection;
    await inLanes(docs, async (d) => {
      const entries = d.outbox.map(plain);
      const emptied = await collection.updateOne({ _id: d._id as never, outbox: entries } as never, { $set: { outbox: [] }, $unset: { outboxPending: '' } } as never);
      if (emptied.matchedCount === 0 && entries.length > 0) await collection.updateOne({ _id: d._id as never }, { $pullAll: { outbox: entries } } as never);
    });
  }

  private async addJobs(aggregate: AggregateKind, docs: readonly OutboxDoc[]): Promise<void> {
    const byQueue = new Map<string, { name: string; data: EventJob; opts: { jobId: string } }[]>();
    for (const doc of docs) {
      for (const entry of doc.outbox) {
        if (!(entry.type in EVENT_QUEUES)) continue;
        const type = entry.type as EventType;
        const data: EventJob = { eventId: entry.id, type, tenantId: doc.tenantId, aggregate, aggregateId: String(doc._id) };
        for (const queue of EVENT_QUEUES[type]) {
          const list = byQueue.get(queue) ?? [];
          list.push({ name: entry.type, data, opts: { jobId: jobIdFor(entry) } });
          byQueue.set(queue, list);
        }
      }
    }
    for (const [queue, jobs] of byQueue) {
      await withTimeout(this.queues[queue as keyof Queues].addBulk(jobs), this.timeoutMs);
    }
  }
}

/** The entry exactly as stored (key order id, type, at) so $pullAll matches it. */
function plain(e: StoredEntry): StoredEntry {
  return { id: e.id, type: e.type, at: e.at };
}

/** Runs the relay every `intervalMs` until stopped; one pass at a time. */
export function startRelay(publisher: OutboxPublisher, intervalMs: number, minAgeMs: number, log: Logger): () => Promise<void> {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = publisher
      .relayOnce(minAgeMs)
      .then((n) => {
        if (n > 0) log.info({ republished: n }, 'outbox relay queued pending events');
      })
      .catch((err: unknown) => log.warn({ err }, 'outbox relay pass failed; will retry'))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, intervalMs);
  tick();
  return async () => {
    stopped = true;
    clearInterval(timer);
    if (running) await running;
  };
}
