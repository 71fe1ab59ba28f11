import type { Request } from 'express';
import { HttpProblem } from './problem';

/** The largest CSV file an import takes. */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

/**
 * The body of a CSV upload as it arrives (never held whole): 415 unless it is text/csv, and 413
 * once it passes 64 MB. Then the rest is not read, so the connection ends with the answer: a
 * client must not send its next request on it.
 */
export function csvUpload(req: Request): AsyncIterable<Buffer> {
  if (!req.is('text/csv')) throw new HttpProblem({ type: 'https://coaching-pilots.dev/problems/unsupported-media-type', title: 'Unsupported media type', status: 415, detail: 'Send the file as text/csv.' });
  return (async function* limited() {
    let bytes = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > MAX_IMPORT_BYTES) {
        req.res?.setHeader('Connection', 'close');
        throw new HttpProblem({ type: 'https://coaching-pilots.dev/problems/entity-too-large', title: 'File too large', status: 413, detail: 'Import files are limited to 64 MB.' });
      }
      yield chunk;
    }
  })();
}
