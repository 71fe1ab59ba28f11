import { HEALTH_RULES, judgeQueue, SLOW_WAIT_MS, type QueueFigures } from '../../service/src/domain/queue-health';

const calm: QueueFigures = { counts: { waiting: 0, prioritized: 0 }, workers: 2, completedLastMinute: 10, failedLastMinute: 0, oldestWaitingAgeMs: null };

describe('queue health', () => {
  test('a queue with workers, no recent failures and no long wait is healthy', () => {
    expect(judgeQueue(calm)).toEqual({ state: 'healthy', reasons: [] });
    expect(judgeQueue({ ...calm, oldestWaitingAgeMs: SLOW_WAIT_MS })).toEqual({ state: 'healthy', reasons: [] });
  });

  test('no workers, or more failures than completions in the last minute, is failing', () => {
    expect(judgeQueue({ ...calm, workers: 0 })).toEqual({ state: 'failing', reasons: ['No worker is connected.'] });
    expect(judgeQueue({ ...calm, completedLastMinute: 1, failedLastMinute: 2 })).toEqual({
      state: 'failing',
      reasons: ['2 failed and 1 completed in the last minute.'],
    });
  });

  test('a long wait, or some failures among more completions, is slow', () => {
    expect(judgeQueue({ ...calm, oldestWaitingAgeMs: SLOW_WAIT_MS + 60_000 })).toEqual({
      state: 'slow',
      reasons: ['The oldest job has waited 6 minutes.'],
    });
    expect(judgeQueue({ ...calm, failedLastMinute: 3 })).toEqual({ state: 'slow', reasons: ['3 failed in the last minute.'] });
  });

  test('failing outranks slow and keeps every reason', () => {
    const verdict = judgeQueue({ ...calm, workers: 0, oldestWaitingAgeMs: 2 * SLOW_WAIT_MS });
    expect(verdict.state).toBe('failing');
    expect(verdict.reasons).toEqual(['No worker is connected.', 'The oldest job has waited 10 minutes.']);
  });

  test('the rules shown to people name every state but healthy', () => {
    expect(new Set(HEALTH_RULES.map((r) => r.state))).toEqual(new Set(['failing', 'slow']));
  });
});
