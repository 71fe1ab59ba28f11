/**
 * What every area's contract shares: how instants are written, the problem details every error is
 * sent as, and the report of a CSV import. Pure: zod only, so the tab's compiler can read it too.
 */
import { z } from 'zod';

/** An instant as the API sends it: ISO 8601 in UTC (what Date#toISOString writes). */
export const instant = z.iso.datetime();

/** RFC 9457 problem details, sent as application/problem+json on every error. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  /** The path that was asked for. */
  instance: z.string().optional(),
  /** Stable machine-readable reason, e.g. "feedback_not_open". */
  code: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export const importMode = z.enum(['preview', 'commit']);
/** `?mode=`: preview shows per-row errors and writes nothing; commit writes all or nothing. */
export const importQuery = z.strictObject({ mode: importMode });

/** What a CSV check (`preview`) or import (`commit`) found; each area adds what it wrote. */
export const importReportBase = z.object({
  mode: importMode,
  rows: z.number(),
  valid: z.number(),
  errorCount: z.number(),
  errors: z.array(z.object({ line: z.number(), message: z.string() })),
});

export type Problem = z.output<typeof problemSchema>;
export type CsvImportReport = z.output<typeof importReportBase>;
