import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';

/** A file whose CSV cannot be read past some point (a quote never closed, say). */
export class CsvSyntaxError extends Error {
  constructor(
    readonly record: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The records of a CSV upload, one at a time, so that only the current record is held whatever
 * the file's size (RFC 4180: quoted fields may hold commas, "" and newlines; a byte-order mark and
 * blank lines are skipped; rows may differ in length, which the row checks report).
 */
export async function* csvRecords(chunks: AsyncIterable<string | Buffer> | Iterable<string | Buffer>): AsyncGenerator<string[]> {
  const parser = Readable.from(chunks).pipe(parse({ bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true }));
  try {
    for await (const record of parser as AsyncIterable<string[]>) yield record;
  } catch (err) {
    if (err instanceof CsvError) {
      const record = typeof err.records === 'number' ? err.records + 1 : 0;
      throw new CsvSyntaxError(record, err.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is never closed (a " is missing), so the rest of the file cannot be read' : `the file is not valid CSV from here: ${err.message}`);
    }
    throw err;
  } finally {
    parser.destroy();
  }
}
