import { csvRecords, CsvSyntaxError } from '../../service/src/usecases/csv-records';

async function read(chunks: (string | Buffer)[]): Promise<string[][]> {
  const out: string[][] = [];
  for await (const r of csvRecords(chunks)) out.push(r);
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

  test('a quote never closed stops the file with the record it starts in', async () => {
    const failure = read(['a,b\n1,2\n3,"open\n4,5\n']).catch((e: unknown) => e);
    const err = await failure;
    expect(err).toBeInstanceOf(CsvSyntaxError);
    expect((err as CsvSyntaxError).record).toBe(3);
    expect((err as CsvSyntaxError).message).toContain('never closed');
  });
});
