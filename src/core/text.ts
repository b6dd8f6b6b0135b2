// Other people's text (bead titles, assignees, Files: patterns, zone notes) is data: before it
// reaches a terminal or the model it loses what could act (escape sequences that clear the screen,
// retitle the window or hide a link; bidi overrides that reorder what is read), its newlines (which
// would forge a `whose:` or `next:` line of a card), and its length. One pass, no regex backtracking.

/** Caps for each kind of field, in characters. */
export const CAP = { title: 80, name: 64, pattern: 120, note: 160, line: 400 } as const;

const ESC = 0x1b;
const BEL = 0x07;

/** Folds, strips and caps one field so it is one line of inert text. */
export function cleanText(s: string, max: number = CAP.line): string {
  let out = "";
  let space = false;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === ESC || c === 0x9b || c === 0x9d || c === 0x90 || c === 0x9e || c === 0x9f) {
      i = skipSequence(s, i) - 1;
      continue;
    }
    if (c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0b || c === 0x0c || c === 0x2028 || c === 0x2029 || c === 0x85 || c === 0x20 || c === 0xa0) {
      space = out.length > 0;
      continue;
    }
    // C0, DEL, C1, bidi embeddings/overrides/isolates, zero-width characters, the BOM.
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || (c >= 0x200b && c <= 0x200f) || c === 0x061c || c === 0xfeff) continue;
    if (space) {
      out += " ";
      space = false;
    }
    out += s[i];
    if (out.length > max) break;
  }
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}

// Returns the index just past the escape sequence starting at i: CSI (ESC [ or 0x9b) up to its
// final byte; OSC, DCS, PM, APC (ESC ] P ^ _ or their C1 forms) up to BEL or ST; otherwise ESC and
// the one character after it.
function skipSequence(s: string, i: number): number {
  const c = s.charCodeAt(i);
  let kind: number;
  let j: number;
  if (c === ESC) {
    kind = s.charCodeAt(i + 1);
    j = i + 2;
  } else {
    kind = c === 0x9b ? 0x5b : c === 0x9d ? 0x5d : c === 0x90 ? 0x50 : c === 0x9e ? 0x5e : 0x5f;
    j = i + 1;
  }
  if (kind === 0x5b) {
    while (j < s.length) {
      const d = s.charCodeAt(j++);
      if (d >= 0x40 && d <= 0x7e) break;
    }
    return j;
  }
  if (kind === 0x5d || kind === 0x50 || kind === 0x5e || kind === 0x5f) {
    while (j < s.length) {
      const d = s.charCodeAt(j);
      if (d === BEL || d === 0x9c) return j + 1;
      if (d === ESC && s.charCodeAt(j + 1) === 0x5c) return j + 2;
      j++;
    }
    return j;
  }
  return c === ESC ? Math.min(i + 2, s.length) : i + 1;
}

/** Someone else's text inside a card or a status line: cleaned and in double quotes, so it reads as a quotation. */
export function quoted(s: string, max: number = CAP.title): string {
  return JSON.stringify(cleanText(s, max));
}

const PLAIN_NAME = /^[\p{L}\p{N}_.@+:/*?{}[\]()!,~#=%&^$-]+$/u;

/** An identity, id or path pattern: shown bare when it is an ordinary name, quoted otherwise. */
export function name(s: string, max: number = CAP.name): string {
  const c = cleanText(s, max);
  return c === s && PLAIN_NAME.test(s) ? s : JSON.stringify(c);
}

/** A Files: pattern as shown: bare when ordinary, quoted when it holds spaces or anything odd. */
export function pattern(s: string): string {
  return name(s, CAP.pattern);
}

/** The first `limit` items and, past them, one line saying how many were left out. */
export function firstOf<T>(items: readonly T[], limit: number, show: (t: T) => string, more: (n: number) => string): string[] {
  const lines = items.slice(0, limit).map(show);
  if (items.length > limit) lines.push(more(items.length - limit));
  return lines;
}
