/** `list` with `item` in place of the entry with its key, or added at the end: a write's answer put into a cached list. */
export function putByKey<T extends { key: string }>(list: readonly T[], item: T): T[] {
  return list.some((entry) => entry.key === item.key) ? list.map((entry) => (entry.key === item.key ? item : entry)) : [...list, item];
}
