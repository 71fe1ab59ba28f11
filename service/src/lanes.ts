/**
 * Runs `f` over `items` with at most `lanes` calls in flight: for small independent calls (one
 * indexed statement, one Graph batch) that, one after another, would mostly wait on round trips.
 */
export async function inLanes<T>(items: readonly T[], f: (item: T) => Promise<void>, lanes = 4): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await f(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
}
