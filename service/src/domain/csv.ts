import { METRIC_KEY } from './metrics';

/**
 * An incremental RFC 4180 CSV reader: feed it chunks, it yields complete records. Quoted fields
 * may contain commas, quotes ("") and newlines. Nothing but the current record is held.
 */
export class CsvReader {
  private field = '';
  private record: string[] = [];
  private inQuotes = false;
  private quotePending = false;
  private out: string[][] = [];

  push(chunk: string): string[][] {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false;
          if (c === '"') {
            this.field += '"';
            continue;
          }
          this.inQuotes = false;
        } else if (c === '"') {
          this.quotePending = true;
          continue;
        } else {
          this.field += c;
          continue;
        }
      }
      if (c === '"' && this.field === '') this.inQuotes = true;
      else if (c === ',') this.endField();
      else if (c === '\n') this.endRecord();
      else if (c !== '\r') this.field += c;
    }
    const ready = this.out;
    this.out = [];
    return ready;
  }

  /** The last record when the input does not end with a newline. */
  end(): string[][] {
    if (this.quotePending) {
      this.quotePending = false;
      this.inQuotes = false;
    }
    if (this.field !== '' || this.record.length > 0) this.endRecord();
    const ready = this.out;
    this.out = [];
    return ready;
  }

  private endField() {
    this.record.push(this.field);
    this.field = '';
  }

  private endRecord() {
    this.endField();
    if (!(this.record.length === 1 && this.record[0] === '')) this.out.push(this.record);
    this.record = [];
  }
}

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
  if (!METRIC_KEY.test(metric)) return { error: `metric "${metric.slice(0, 40)}" is not a metric key (lower case letters, digits, _)` };
  if (!/^[A-Za-z0-9_-]{1,20}$/.test(period)) return { error: `period "${period.slice(0, 20)}" should be like 2026-Q3 or before/after` };
  const value = Number(raw);
  if (raw === '' || !Number.isFinite(value)) return { error: `value "${raw.slice(0, 20)}" is not a number` };
  return { row: { personId, metric, period, value } };
}
