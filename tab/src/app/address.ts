/** The tab's addresses (`#/page?query`), without the browser: shared by the hash router and the Teams deep link. */

/** The page an address names: the first segment of `#/segment`. */
export function pageOfAddress(hash: string): string {
  return hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
}

/**
 * The address a Teams deep link's sub-page id names. The workers send the tab's own address
 * ("#/feedback?request=r1"); a bare path ("feedback?request=r1") is taken too.
 */
export function subPageAddress(subPageId: string): string {
  return `#/${subPageId.replace(/^#?\/?/, '')}`;
}
