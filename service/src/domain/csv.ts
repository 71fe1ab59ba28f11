import { METRIC_KEY } from './metrics';

export interface OutcomeRow {
  personId: string;
  metric: string;
  period: string;
  value: number;
}

/** Checks one CSV record (columns person_id, metric, period, value); returns the row or why it is wrong. */
export function parseOutcomeRecord(record: string[]): { row: OutcomeRow } | { error: string } {
  if (record.length !== 4) return { error: `expected 4 columns (person_id, metric, period, value), found ${record.length}` };
  const [personId, metric, period, raw] = record.map((f) => f.trim()) as [string, string, string, string];
  if (!personId || personId.length > 64) return { error: 'person_id is missing or too long' };
  // No id holds a control character (and FerretDB's PostgreSQL backend cannot store a NUL).
  if (/[\u0000-\u001f\u007f]/.test(personId)) return { error: 'person_id holds a control character' };
  if (!METRIC_KEY.test(metric)) return { error: `metric "${metric.slice(0, 40)}" is not a metric key (lower case letters, digits, _)` };
  if (!/^[A-Za-z0-9_-]{1,20}$/.test(period)) return { error: `period "${period.slice(0, 20)}" should be like 2026-Q3 or before/after` };
  const value = Number(raw);
  if (raw === '' || !Number.isFinite(value)) return { error: `value "${raw.slice(0, 20)}" is not a number` };
  return { row: { personId, metric, period, value } };
}
