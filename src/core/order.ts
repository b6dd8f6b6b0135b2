// Sorting helpers for the pure core.
/**
 * Orders ids and names by code point. localeCompare goes through ICU and costs milliseconds on a
 * few thousand beads, on the path of the banner and of coord status.
 */
export function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
