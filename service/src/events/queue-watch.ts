import type { Queues } from './queues';

type Listener = () => void;

/**
 * Tells the ops pages open on this instance that the queues changed. It reads the job counts
 * (one cheap Redis call per queue) only while an ops page is following, and says nothing when
 * nothing changed; every API instance reads Redis itself, so this needs no fan-out.
 */
export class QueueWatch {
  private readonly listeners = new Set<Listener>();
  private timer: NodeJS.Timeout | null = null;
  private last = '';

  constructor(
    private readonly queues: Queues,
    private readonly intervalMs: number,
  ) {}

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    if (!this.timer) this.timer = setInterval(() => void this.check(), this.intervalMs);
    return () => {
      this.listeners.delete(fn);
      if (this.listeners.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
        this.last = '';
      }
    };
  }

  private async check(): Promise<void> {
    let now: string;
    try {
      now = JSON.stringify(await Promise.all(Object.values(this.queues).map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'))));
    } catch {
      return; // Redis unavailable: the ops page shows that itself, from its own reads.
    }
    if (now === this.last) return;
    const first = this.last === '';
    this.last = now;
    if (!first) for (const fn of this.listeners) fn();
  }
}
