import { Readable, pipeline } from 'node:stream';
import { CsvError, parse } from 'csv-parse';

/** A file whose CSV cannot be read past some point (a quote never closed, text that is not UTF-8). */
export class CsvSyntaxError extends Error {
  constructor(
    /** The file's line from which it could not be read. */
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** A record of the file and the line it starts on (blank lines and cells spanning lines counted, as an editor shows them). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * The records of a CSV upload, one at a time, so that only the current record is held whatever
 * the file's size (RFC 4180: quoted fields may hold commas, "" and newlines; a byte-order mark and
 * blank lines are skipped; rows may differ in length, which the row checks report). The file must
 * be UTF-8: Excel's plain "CSV" is Windows-1252, whose accented letters would otherwise be stored
 * garbled. An error of the upload itself (too large, a dropped connection) is thrown from here.
 */
export async function* csvRecords(chunks: AsyncIterable<string | Buffer> | Iterable<string | Buffer>): AsyncGenerator<CsvRecord> {
  // Where each record the parser made starts, in order (it reads ahead of the consumer), and where the last one ends.
  const starts: number[] = [];
  let parsedTo = 0;
  // The parser counts a CRLF inside a quoted cell as two lines; an editor, as one.
  let extraLines = 0;
  const parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    // `lines` is where the record ends: it starts as many lines up as its cells span.
    on_record: (fields: string[], { lines }) => {
      // A CRLF row in a file whose first line ended in LF (one program wrote it, Excel added to it) keeps its CR, counted as a line of its own.
      const last = fields.length - 1;
      if (last >= 0 && fields[last]!.endsWith('\r')) {
        fields[last] = fields[last]!.slice(0, -1);
        extraLines += 1;
      }
      const count = (pattern: RegExp) => fields.reduce((n, f) => n + (f.match(pattern)?.length ?? 0), 0);
      extraLines += count(/\r\n/g);
      parsedTo = lines - extraLines;
      starts.push(parsedTo - count(/\r\n|\r|\n/g));
      return fields;
    },
  });
  // pipeline, not pipe: pipe leaves an error of the source unhandled (the process stopped), and the parser waiting.
  pipeline(Readable.from(chunks), parser, () => undefined);
  try {
    for await (const fields of parser as AsyncIterable<string[]>) {
      const record = { line: starts.shift()!, fields };
      // Bytes that are not UTF-8 decode to U+FFFD, which no real file of names holds.
      if (record.fields.some((f) => f.includes('\uFFFD'))) throw new CsvSyntaxError(record.line, 'the file is not UTF-8 text from this line, so accented letters would be stored garbled. Save it as "CSV UTF-8" (in Excel: Save As, CSV UTF-8 (Comma delimited)) and import it again');
      yield record;
    }
  } catch (err) {
    if (err instanceof CsvError) {
      throw new CsvSyntaxError(parsedTo + 1, err.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is never closed (a " is missing), so the rest of the file cannot be read' : `the file is not valid CSV from here: ${err.message}`);
    }
    throw err;
  } finally {
    parser.destroy();
  }
}
