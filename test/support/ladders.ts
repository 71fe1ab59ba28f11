import type { Types } from 'mongoose';
import type { Models } from '../../service/src/data/models';
import { latestStep, type LadderStep } from '../../service/src/domain/reminders';

/** The last ladder step recorded for each request, as stored: its batch's step records, or its ladder's own field (ladders without a batch). */
export async function lastSteps(models: Models, tenantId: string, requestIds: readonly (string | Types.ObjectId)[]): Promise<Map<string, LadderStep>> {
  const ids = requestIds.map(String);
  const ladders = await models.FeedbackLadder.find({ tenantId, _id: { $in: ids } }, { batch: 1, lastStepDone: 1 }).lean();
  const batches = [...new Set(ladders.flatMap((l) => (l.batch ? [l.batch] : [])))];
  const records = batches.length ? await models.FeedbackStep.find({ tenantId, batch: { $in: batches } }).lean() : [];
  return new Map(
    ladders.map((l) => {
      const id = String(l._id);
      return [id, latestStep([l.lastStepDone as LadderStep, ...records.filter((r) => r.requestIds.includes(id)).map((r) => r.step as LadderStep)])];
    }),
  );
}

/** The last ladder step recorded for one request (undefined when it has no ladder). */
export async function lastStep(models: Models, tenantId: string, requestId: string | Types.ObjectId): Promise<LadderStep | undefined> {
  return (await lastSteps(models, tenantId, [requestId])).get(String(requestId));
}
