import { csvRecords, CsvSyntaxError } from '../../service/src/usecases/csv-records';

async function read(chunks: (string | Buffer)[]): Promise<string[][]> {
  const out: string[][] = [];
  for await (const r of csvRecords(chunks)) out.push(r.fields);
  return out;
}

describe('reading CSV uploads', () => {
  test('quoted fields hold commas, doubled quotes and newlines; CRLF, a BOM and blank lines are fine', async () => {
    const text = '\ufeffa,b\r\n"x, y","say ""hi""\nthere"\r\n\r\nlast,row';
    expect(await read([text])).toEqual([['a', 'b'], ['x, y', 'say "hi"\nthere'], ['last', 'row']]);
  });

  test('records split anywhere between chunks, even inside a character, come out whole', async () => {
    const bytes = Buffer.from('name,place\nJosé,"Zürich, CH"\nŁucja,Kraków\n', 'utf8');
    const chunks = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    expect(await read(chunks)).toEqual([['name', 'place'], ['José', 'Zürich, CH'], ['Łucja', 'Kraków']]);
  });

  test('rows of different lengths are passed on for the row checks to report', async () => {
    expect(await read(['a,b,c\n1,2\n'])).toEqual([['a', 'b', 'c'], ['1', '2']]);
  });

  test('a quote never closed stops the file at the line after the last whole record', async () => {
    const failure = read(['a,b\n1,2\n3,"open\n4,5\n']).catch((e: unknown) => e);
    const err = await failure;
    expect(err).toBeInstanceOf(CsvSyntaxError);
    expect((err as CsvSyntaxError).line).toBe(3);
    expect((err as CsvSyntaxError).message).toContain('never closed');
  });

  test('each record carries the line it starts on, as an editor numbers them: blank lines and cells spanning lines counted', async () => {
    const lines: number[] = [];
    for await (const r of csvRecords(['user,org_unit\n\na,"Ops\nNorth"\n\nbad,,\nlast,x\n'])) lines.push(r.line);
    expect(lines).toEqual([1, 3, 6, 7]);
    const crlf: number[] = [];
    for await (const r of csvRecords(['h\r\na\r\n\r\nb,"x\r\ny"\r\nc\r\n'])) crlf.push(r.line);
    expect(crlf).toEqual([1, 2, 4, 6]);
    // LF first, then rows with CRLF: the CR is no part of the cell, nor a line of its own.
    const mixed: string[][] = [];
    const at: number[] = [];
    for await (const r of csvRecords(['h,x\na,b\r\nc,d\r\ne,f\n'])) (mixed.push(r.fields), at.push(r.line));
    expect(mixed).toEqual([['h', 'x'], ['a', 'b'], ['c', 'd'], ['e', 'f']]);
    expect(at).toEqual([1, 2, 3, 4]);
  });

  test('bytes that are not UTF-8 (Excel\'s Windows "CSV") stop the file with a word on how to save it, rather than garbled letters', async () => {
    const latin1 = Buffer.from('user,org_unit\nu1,Z\xfcrich\n', 'latin1');
    const err = await read([latin1]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CsvSyntaxError);
    expect((err as CsvSyntaxError).line).toBe(2);
    expect((err as CsvSyntaxError).message).toContain('CSV UTF-8');
  });

  test('an error of the upload itself (over the size limit, a dropped connection) comes out of the reader, not as an unhandled stream error', async () => {
    class TooLarge extends Error {}
    async function* upload() {
      yield 'user,org_unit\n';
      throw new TooLarge('over the limit');
    }
    await expect(read(upload() as never)).rejects.toBeInstanceOf(TooLarge);
  });
});
