// Conflicts before they happen, the pure part: which pairs of checkouts to compare, and how the
// files both sides changed split into "would conflict" and "both touched".

export interface CheckoutState {
  /** Short name: "main" for the main checkout, else the worktree's name. */
  name: string;
  path: string;
  branch: string | null;
  head: string;
  /** A commit holding the checkout's uncommitted work on top of `head` (== head when clean). */
  state: string;
  uncommitted: string[];
}

export interface PairPrediction {
  a: string;
  b: string;
  /** Files git could not merge on its own (merge-tree of both sides, uncommitted work included). */
  wouldConflict: string[];
  /** Files both changed since their merge base that still merge cleanly. */
  bothTouched: string[];
}

/** Every unordered pair, in a stable order (the main checkout first when it is first in `items`). */
export function pairsOf<T>(items: readonly T[]): [T, T][] {
  const out: [T, T][] = [];
  for (let i = 0; i < items.length; i++) for (let j = i + 1; j < items.length; j++) out.push([items[i] as T, items[j] as T]);
  return out;
}

export function intersect(a: readonly string[], b: readonly string[]): string[] {
  const sb = new Set(b);
  return [...new Set(a.filter((x) => sb.has(x)))].sort();
}

/**
 * A pair's verdict from the files each side changed since the merge base and merge-tree's conflict
 * list (null when merge-tree was not needed: nothing in common means nothing to conflict).
 */
export function classify(a: string, b: string, changedA: readonly string[], changedB: readonly string[], conflicts: readonly string[] | null): PairPrediction {
  const both = intersect(changedA, changedB);
  const wouldConflict = [...new Set(conflicts ?? [])].sort();
  const c = new Set(wouldConflict);
  return { a, b, wouldConflict, bothTouched: both.filter((p) => !c.has(p)) };
}

/** Pairs worth showing: those with any file in common. */
export function interesting(pairs: readonly PairPrediction[]): PairPrediction[] {
  return pairs.filter((p) => p.wouldConflict.length || p.bothTouched.length);
}

export function renderPairs(pairs: readonly PairPrediction[], max = 6): string[] {
  const shown = interesting(pairs);
  if (!shown.length) return ["no two checkouts have changed the same file"];
  const files = (xs: readonly string[]) => (xs.length <= max ? xs.join(", ") : `${xs.slice(0, max).join(", ")} and ${xs.length - max} more`);
  const lines: string[] = [];
  for (const p of shown) {
    if (p.wouldConflict.length) lines.push(`${p.a} <> ${p.b}: WOULD CONFLICT in ${files(p.wouldConflict)}`);
    if (p.bothTouched.length) lines.push(`${p.a} <> ${p.b}: both touched ${files(p.bothTouched)} (merges cleanly today)`);
  }
  return lines;
}
