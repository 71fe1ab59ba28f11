import { digest, sortedHas } from '../../service/src/domain/digest';

describe('digests', () => {
  test('the same string gives the same 53-bit digest, different strings different ones', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const digests = ids.map(digest);
    expect(new Set(digests).size).toBe(ids.length);
    expect(digests.every((d) => Number.isSafeInteger(d) && d >= 0)).toBe(true);
    expect(digest(ids[7]!)).toBe(digests[7]);
  });

  test('a sorted set of digests answers whether it holds one', () => {
    const sorted = Float64Array.from(['a', 'b', 'c', 'd', 'e'].map(digest)).sort();
    for (const s of ['a', 'b', 'c', 'd', 'e']) expect(sortedHas(sorted, digest(s))).toBe(true);
    for (const s of ['f', '', 'A']) expect(sortedHas(sorted, digest(s))).toBe(false);
    expect(sortedHas(new Float64Array(0), digest('a'))).toBe(false);
  });
});
