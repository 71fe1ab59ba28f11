import { z } from 'zod';
import { QUEUES, type QueueName } from '../../events/contracts';
import { failedJobs, queueStats, retryFailedJob } from '../../events/queue-stats';
import type { Queues } from '../../events/queues';
import { judgeQueue } from '../../domain/queue-health';
import { audit } from '../../usecases/audit';
import type { Metrics } from '../metrics';
import { BOARD_PATH, type BoardSessions } from '../queue-board';
import { problems } from '../problem';
import { boardSessionResponse, failedJobsResponse, queuesResponse, retryResponse } from '../contract/ops';
import { defineRoute, type RouteDef } from '../route';

export interface OpsContext {
  queues: Queues;
  backlog: () => Promise<number>;
  metrics: Metrics;
  board?: { sessions: BoardSessions; operatorTenants: readonly string[]; secureCookies: boolean };
}

const queueName = z.enum(Object.values(QUEUES) as [QueueName, ...QueueName[]]);

/** The ops console's data: queue health, failed jobs with retry where safe, and Prometheus metrics. */
export function opsRoutes(ops: OpsContext): RouteDef[] {
  return [
    defineRoute({
      id: 'ops.queues',
      method: 'get',
      path: '/api/ops/queues',
      summary: 'Per queue: job counts, jobs per minute, oldest waiting job, workers, p95 run time and a health state; and the outbox backlog',
      tags: ['ops'],
      responses: { 200: { description: 'Queue health', schema: queuesResponse } },
      handler: async () => {
        const stats = await queueStats(ops.queues);
        return { status: 200, body: { queues: stats.map(({ recentDurationsMs, ...s }) => ({ ...s, p95DurationMs: percentile(recentDurationsMs, 0.95), health: judgeQueue(s) })), outboxBacklog: await ops.backlog(), at: new Date() } };
      },
    }),
    defineRoute({
      id: 'ops.failed',
      method: 'get',
      path: '/api/ops/failed',
      summary: "Failed jobs concerning the caller's organisation, newest first",
      tags: ['ops'],
      responses: { 200: { description: 'Failed jobs', schema: failedJobsResponse } },
      handler: async ({ caller }) => ({ status: 200, body: { jobs: (await failedJobs(ops.queues, caller.tenantId)).map((j) => ({ ...j, failedAt: j.failedAt === null ? null : new Date(j.failedAt).toISOString() })) } }),
    }),
    defineRoute({
      id: 'ops.retry',
      method: 'post',
      path: '/api/ops/failed/:queue/:jobId/retry',
      summary: 'Retry a failed job (only on queues whose handlers are safe to repeat; audited)',
      tags: ['ops'],
      params: z.object({ queue: queueName, jobId: z.string().min(1).max(200) }),
      responses: { 202: { description: 'Retried', schema: retryResponse } },
      handler: async ({ deps, caller, params, req }) => {
        const outcome = await retryFailedJob(ops.queues, caller.tenantId, params.queue, params.jobId);
        if (outcome === 'not_found') throw problems.notFound('No failed job with that id.');
        if (outcome === 'not_safe') throw problems.forbidden();
        await audit(deps, caller, 'job.retry', `job:${params.queue}/${params.jobId}`, {}, req.id);
        return { status: 202, body: { retried: true } };
      },
    }),
    defineRoute({
      id: 'ops.board_session',
      method: 'post',
      path: '/api/ops/board-session',
      summary: 'Open the bull-board queue console (operators only): sets a short-lived cookie for /ops/board',
      tags: ['ops'],
      responses: { 200: { description: 'Where the board is', schema: boardSessionResponse } },
      handler: async ({ caller, res }) => {
        const board = ops.board;
        // The board shows every tenant's jobs, so only the operator's own ops staff may open it.
        if (!board || !(board.operatorTenants.includes('*') || board.operatorTenants.includes(caller.tenantId))) throw problems.forbidden();
        res.setHeader('Set-Cookie', board.sessions.issue(caller.userId, caller.tenantId, board.secureCookies));
        return { status: 200, body: { url: `${BOARD_PATH}/` } };
      },
    }),
    defineRoute({
      id: 'ops.metrics',
      method: 'get',
      path: '/metrics',
      summary: 'Prometheus metrics: queue gauges, job durations and outcomes, HTTP latency, outbox backlog',
      tags: ['ops'],
      responses: { 200: { description: 'text/plain; version=0.0.4' } },
      handler: async ({ res }) => {
        const text = await ops.metrics.render(await queueStats(ops.queues), await ops.backlog());
        res.status(200).type(ops.metrics.registry.contentType).send(text);
      },
    }),
  ];
}

function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}
