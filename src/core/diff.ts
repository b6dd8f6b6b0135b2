// A unified diff of two texts, line by line, for `coord init --dry-run` and for showing a section
// coord adopts. The files it compares are small (settings, CLAUDE.md), so a plain LCS table does.
// Pure.

const CONTEXT = 3;
/** Past this many cells the LCS table costs more than it is worth: show the whole file replaced. */
const MAX_CELLS = 4_000_000;

type Op = { t: " " | "-" | "+"; line: string };

function lines(text: string): string[] {
  if (text === "") return [];
  const l = text.split("\n");
  if (l[l.length - 1] === "") l.pop();
  return l;
}

function ops(a: string[], b: string[]): Op[] {
  // Common head and tail first: most edits touch one spot of a long file.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const A = a.slice(head, a.length - tail);
  const B = b.slice(head, b.length - tail);
  const mid: Op[] = [];
  if (A.length * B.length > MAX_CELLS) {
    for (const line of A) mid.push({ t: "-", line });
    for (const line of B) mid.push({ t: "+", line });
  } else {
    const w = B.length + 1;
    const L = new Uint32Array((A.length + 1) * w);
    for (let i = A.length - 1; i >= 0; i--)
      for (let j = B.length - 1; j >= 0; j--) L[i * w + j] = A[i] === B[j] ? (L[(i + 1) * w + j + 1] as number) + 1 : Math.max(L[(i + 1) * w + j] as number, L[i * w + j + 1] as number);
    let i = 0;
    let j = 0;
    // On a tie the removal goes first: diff and git print removals before additions.
    while (i < A.length || j < B.length) {
      if (i < A.length && j < B.length && A[i] === B[j]) {
        mid.push({ t: " ", line: A[i] as string });
        i++;
        j++;
      } else if (i < A.length && (j >= B.length || (L[(i + 1) * w + j] as number) >= (L[i * w + j + 1] as number))) mid.push({ t: "-", line: A[i++] as string });
      else mid.push({ t: "+", line: B[j++] as string });
    }
  }
  return [...a.slice(0, head).map((line) => ({ t: " " as const, line })), ...mid, ...a.slice(a.length - tail).map((line) => ({ t: " " as const, line }))];
}

/** `--- a/<file>` / `+++ b/<file>` and hunks; empty when the texts are equal. A missing file is /dev/null. */
export function unifiedDiff(file: string, before: string | null, after: string | null): string {
  if (before === after) return "";
  const o = ops(lines(before ?? ""), lines(after ?? ""));
  const out = [`--- ${before === null ? "/dev/null" : `a/${file}`}`, `+++ ${after === null ? "/dev/null" : `b/${file}`}`];
  const changed = o.map((x, i) => (x.t !== " " ? i : -1)).filter((i) => i >= 0);
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, (changed[k] as number) - CONTEXT);
    let end = (changed[k] as number) + CONTEXT;
    while (k + 1 < changed.length && (changed[k + 1] as number) - CONTEXT <= end + 1) end = (changed[++k] as number) + CONTEXT;
    end = Math.min(o.length - 1, end);
    k++;
    let aLine = 1;
    let bLine = 1;
    for (let i = 0; i < start; i++) {
      if (o[i]?.t !== "+") aLine++;
      if (o[i]?.t !== "-") bLine++;
    }
    const hunk = o.slice(start, end + 1);
    const aCount = hunk.filter((x) => x.t !== "+").length;
    const bCount = hunk.filter((x) => x.t !== "-").length;
    out.push(`@@ -${aCount ? aLine : aLine - 1},${aCount} +${bCount ? bLine : bLine - 1},${bCount} @@`);
    for (const x of hunk) out.push(`${x.t}${x.line}`);
  }
  if (before !== null && after !== null && before.endsWith("\n") !== after.endsWith("\n")) out.push("\\ No newline at end of file (one side)");
  return out.join("\n");
}
