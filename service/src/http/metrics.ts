import { Counter, Gauge, Histogram, Registry, Summary, collectDefaultMetrics } from 'prom-client';
import type { QueueStats } from '../events/queue-stats';
import { judgeQueue, type QueueState } from '../domain/queue-health';

const STATE_LEVEL: Record<QueueState, number> = { healthy: 0, slow: 1, failing: 2 };

/** Prometheus metrics of the API process; queue figures are read from Redis at scrape time. */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly queueJobs = new Gauge({ name: 'queue_jobs', help: 'Jobs per queue and state', labelNames: ['queue', 'state'] as const, registers: [this.registry] });
  private readonly queueOldest = new Gauge({ name: 'queue_oldest_waiting_age_seconds', help: 'Age of the oldest waiting job', labelNames: ['queue'] as const, registers: [this.registry] });
  private readonly queueWorkers = new Gauge({ name: 'queue_workers', help: 'Workers connected to each queue', labelNames: ['queue'] as const, registers: [this.registry] });
  private readonly queueHealth = new Gauge({ name: 'queue_health', help: 'Queue health as the ops page judges it: 0 healthy, 1 slow, 2 failing', labelNames: ['queue'] as const, registers: [this.registry] });
  private readonly jobOutcomes = new Gauge({ name: 'queue_jobs_finished_total', help: 'Jobs finished since metrics began, by outcome', labelNames: ['queue', 'outcome'] as const, registers: [this.registry] });
  private readonly jobDuration = new Summary({ name: 'queue_job_duration_seconds', help: 'Processing time of recent completed jobs', labelNames: ['queue'] as const, percentiles: [0.5, 0.95, 0.99], maxAgeSeconds: 600, ageBuckets: 5, registers: [this.registry] });
  private readonly outbox = new Gauge({ name: 'outbox_backlog', help: 'Events written to MongoDB but not yet queued', registers: [this.registry] });
  readonly relayed = new Counter({ name: 'outbox_relayed_total', help: 'Events re-published by the relay', registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  async render(stats: QueueStats[], backlog: number): Promise<string> {
    this.queueJobs.reset();
    this.jobDuration.reset();
    for (const s of stats) {
      for (const [state, n] of Object.entries(s.counts)) this.queueJobs.set({ queue: s.name, state }, n);
      this.queueOldest.set({ queue: s.name }, s.oldestWaitingAgeMs === null ? 0 : s.oldestWaitingAgeMs / 1000);
      this.queueWorkers.set({ queue: s.name }, s.workers);
      this.queueHealth.set({ queue: s.name }, STATE_LEVEL[judgeQueue(s).state]);
      this.jobOutcomes.set({ queue: s.name, outcome: 'completed' }, s.totals.completed);
      this.jobOutcomes.set({ queue: s.name, outcome: 'failed' }, s.totals.failed);
      for (const ms of s.recentDurationsMs) this.jobDuration.observe({ queue: s.name }, ms / 1000);
    }
    this.outbox.set(backlog);
    return this.registry.metrics();
  }
}
