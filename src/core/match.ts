// Does a repository path fall under a `Files:` pattern? Plain paths cover everything below
// them (a path that names a directory claims its contents); globs, like gitignore, cover what is
// inside a directory they match.
//
// Patterns come from other people's beads, so matching must cost the same whatever they wrote: a
// backtracking regex (picomatch's) spent over 15 s on `*a*a*a*a*a*a*a*a*a*a*a*ab` inside a hook
// whose timer cannot fire during synchronous work. Globs compile here into a Thompson automaton
// simulated one character at a time: the cost is at most (path length) x (automaton size), and
// the automaton size is capped. A pattern over the cap is matched by its fixed leading folders
// (the safe side: it claims more, never less) and reported by patternProblem.

import { escapesRoot } from "./paths";

export type Matcher = (path: string) => boolean;

/** Bounds on one pattern; past them it is matched by its plain prefix and flagged. */
export const MAX_PATTERN_CHARS = 512;
export const MAX_NESTING = 12;
export const MAX_STATES = 2048;

/** `.` is the repository itself: normalizeRepoPath gives it for `.`, `./`, `/` and `src/..`. */
export const ROOT = ".";

const GLOB_START = /[*?[{]|[@!+](?=\()/;

export function isGlob(pattern: string): boolean {
  return GLOB_START.test(pattern);
}

/** Does a plain (glob-free) pattern cover `path`? No matcher is built: most claims are plain. */
export function coversPlain(pattern: string, path: string): boolean {
  if (pattern === ROOT) return true;
  const base = pattern.endsWith("/") ? pattern.replace(/\/+$/, "") : pattern;
  return path === base || (path.startsWith(base) && path.charCodeAt(base.length) === 47);
}

/** A pattern that names nothing inside the repository (`../x`), kept so it can be reported. */
export const isOutside = escapesRoot;

// ---- the automaton -------------------------------------------------------------------------
// Nodes: CHAR (one code unit), ANY (one code unit but "/"), ALL (any code unit), SET (a class,
// never "/"), SPLIT (two epsilon edges), MATCH.
const CHAR = 0;
const ANY = 1;
const ALL = 2;
const SET = 3;
const SPLIT = 4;
const MATCH = 5;

interface Program {
  op: number[];
  arg: number[];
  /** SPLIT's second edge; the next node of everything else. */
  out: number[];
  out2: number[];
  sets: { neg: boolean; ranges: number[] }[];
  start: number;
}

class TooComplex extends Error {}

// A fragment is a start node and the list of dangling edges ([node, which]) to patch.
interface Frag {
  start: number;
  holes: number[];
}

class Builder {
  p: Program = { op: [], arg: [], out: [], out2: [], sets: [], start: 0 };
  node(op: number, arg = 0): number {
    if (this.p.op.length >= MAX_STATES) throw new TooComplex("too many states");
    this.p.op.push(op);
    this.p.arg.push(arg);
    this.p.out.push(-1);
    this.p.out2.push(-1);
    return this.p.op.length - 1;
  }
  patch(holes: number[], to: number) {
    for (const h of holes) {
      if (h >= 0) this.p.out[h] = to;
      else this.p.out2[-h - 1] = to;
    }
  }
  one(op: number, arg = 0): Frag {
    const n = this.node(op, arg);
    return { start: n, holes: [n] };
  }
  empty(): Frag {
    // A SPLIT whose both edges go on: the neutral fragment.
    const n = this.node(SPLIT);
    return { start: n, holes: [n, -n - 1] };
  }
  seq(fs: Frag[]): Frag {
    if (!fs.length) return this.empty();
    for (let i = 0; i + 1 < fs.length; i++) this.patch((fs[i] as Frag).holes, (fs[i + 1] as Frag).start);
    return { start: (fs[0] as Frag).start, holes: (fs[fs.length - 1] as Frag).holes };
  }
  alt(fs: Frag[]): Frag {
    if (!fs.length) return this.empty();
    let acc = fs[fs.length - 1] as Frag;
    for (let i = fs.length - 2; i >= 0; i--) {
      const f = fs[i] as Frag;
      const n = this.node(SPLIT);
      this.p.out[n] = f.start;
      this.p.out2[n] = acc.start;
      acc = { start: n, holes: [...f.holes, ...acc.holes] };
    }
    return acc;
  }
  star(f: Frag): Frag {
    const n = this.node(SPLIT);
    this.p.out[n] = f.start;
    this.patch(f.holes, n);
    return { start: n, holes: [-n - 1] };
  }
  plus(f: Frag): Frag {
    const n = this.node(SPLIT);
    this.p.out[n] = f.start;
    this.patch(f.holes, n);
    return { start: f.start, holes: [-n - 1] };
  }
  opt(f: Frag): Frag {
    const n = this.node(SPLIT);
    this.p.out[n] = f.start;
    return { start: n, holes: [...f.holes, -n - 1] };
  }
  lit(s: string): Frag {
    return this.seq([...s].flatMap((ch) => Array.from({ length: ch.length }, (_, i) => this.one(CHAR, ch.charCodeAt(i)))));
  }
}

// ---- the parser: glob text to fragments ------------------------------------------------------
const POSIX: Record<string, number[]> = {
  alpha: [65, 90, 97, 122],
  digit: [48, 57],
  alnum: [48, 57, 65, 90, 97, 122],
  upper: [65, 90],
  lower: [97, 122],
  space: [9, 13, 32, 32],
  word: [48, 57, 65, 90, 95, 95, 97, 122],
  xdigit: [48, 57, 65, 70, 97, 102],
};

class Parser {
  i = 0;
  depth = 0;
  constructor(
    readonly s: string,
    readonly b: Builder,
  ) {}

  /** A sequence up to one of the `stops` characters (at this nesting level) or the end. */
  sequence(stops: string): Frag {
    const parts: Frag[] = [];
    const s = this.s;
    while (this.i < s.length && !stops.includes(s[this.i] as string)) {
      const c = s[this.i] as string;
      const next = s[this.i + 1];
      if (c === "\\" && this.i + 1 < s.length) {
        parts.push(this.b.lit(s[this.i + 1] as string));
        this.i += 2;
      } else if ((c === "@" || c === "!" || c === "+" || c === "*" || c === "?") && next === "(" && this.closes(this.i + 1, "(", ")")) {
        parts.push(this.extglob(c));
      } else if (c === "*" && next === "*") {
        parts.push(this.globstar(this.atSegmentStart()));
      } else if (c === "*") {
        this.i++;
        parts.push(this.b.star(this.b.one(ANY)));
      } else if (c === "?") {
        this.i++;
        parts.push(this.b.one(ANY));
      } else if (c === "[" && this.classEnd(this.i) > 0) {
        parts.push(this.klass());
      } else if (c === "{" && this.closes(this.i, "{", "}")) {
        parts.push(this.braces());
      } else if (c === "/" && s.slice(this.i) === "/**" && this.depth === 0) {
        // `dir/**` covers dir itself too.
        this.i = s.length;
        parts.push(this.b.opt(this.b.seq([this.b.one(CHAR, 47), this.b.star(this.b.one(ALL))])));
      } else {
        parts.push(this.b.one(CHAR, s.charCodeAt(this.i)));
        this.i++;
      }
    }
    return this.b.seq(parts);
  }

  atSegmentStart(): boolean {
    return this.i === 0 || this.s[this.i - 1] === "/";
  }

  globstar(segmentStart: boolean): Frag {
    const s = this.s;
    let j = this.i;
    while (s[j] === "*") j++;
    const whole = segmentStart && this.depth === 0 && (j === s.length || s[j] === "/");
    if (!whole) {
      // `**` inside a name (or a group) is taken as crossing folders: the wider reading.
      this.i = j;
      return this.b.star(this.b.one(this.depth > 0 ? ALL : ANY));
    }
    if (j === s.length) {
      this.i = j;
      return this.b.star(this.b.one(ALL));
    }
    // `**/`: any number of whole folders.
    this.i = j + 1;
    return this.b.opt(this.b.seq([this.b.star(this.b.one(ALL)), this.b.one(CHAR, 47)]));
  }

  /** Does the bracket opened at `at` close at this level (so it is syntax, not a literal)? */
  closes(at: number, open: string, close: string): boolean {
    let d = 0;
    for (let j = at; j < this.s.length; j++) {
      const c = this.s[j];
      if (c === "\\") j++;
      else if (c === open) d++;
      else if (c === close && --d === 0) return true;
    }
    return false;
  }

  enter() {
    if (++this.depth > MAX_NESTING) throw new TooComplex("nested too deep");
  }

  extglob(kind: string): Frag {
    this.enter();
    this.i += 2;
    const alts: Frag[] = [this.sequence("|)")];
    while (this.s[this.i] === "|") {
      this.i++;
      alts.push(this.sequence("|)"));
    }
    this.i++; // ")"
    this.depth--;
    const body = this.b.alt(alts);
    switch (kind) {
      case "@":
        return body;
      case "?":
        return this.b.opt(body);
      case "*":
        return this.b.star(body);
      case "+":
        return this.b.plus(body);
      default:
        // `!(x)` is a complement, which an automaton cannot build cheaply: read as `*`, which
        // claims more than was meant, never less.
        return this.b.star(this.b.one(ANY));
    }
  }

  classEnd(at: number): number {
    let j = at + 1;
    if (this.s[j] === "!" || this.s[j] === "^") j++;
    if (this.s[j] === "]") j++;
    for (; j < this.s.length; j++) {
      const c = this.s[j];
      if (c === "/") return -1;
      if (c === "[" && this.s[j + 1] === ":") {
        const k = this.s.indexOf(":]", j + 2);
        if (k > 0) {
          j = k + 1;
          continue;
        }
      }
      if (c === "]") return j;
    }
    return -1;
  }

  klass(): Frag {
    const end = this.classEnd(this.i);
    let j = this.i + 1;
    const neg = this.s[j] === "!" || this.s[j] === "^";
    if (neg) j++;
    const ranges: number[] = [];
    let first = true;
    while (j < end || (first && j === end && this.s[j] === "]")) {
      const c = this.s[j] as string;
      if (c === "[" && this.s[j + 1] === ":") {
        const k = this.s.indexOf(":]", j + 2);
        ranges.push(...(POSIX[this.s.slice(j + 2, k)] ?? []));
        j = k + 2;
      } else if (this.s[j + 1] === "-" && j + 2 < end) {
        ranges.push(c.charCodeAt(0), this.s.charCodeAt(j + 2));
        j += 3;
      } else {
        ranges.push(c.charCodeAt(0), c.charCodeAt(0));
        j++;
      }
      first = false;
    }
    this.i = end + 1;
    this.b.p.sets.push({ neg, ranges });
    return this.b.one(SET, this.b.p.sets.length - 1);
  }

  braces(): Frag {
    const open = this.i;
    this.enter();
    this.i++;
    const range = /^(-?\d+)\.\.(-?\d+)\}|^([A-Za-z])\.\.([A-Za-z])\}/.exec(this.s.slice(this.i, this.i + 48));
    if (range) {
      this.i += range[0].length;
      this.depth--;
      const lo = range[1] !== undefined ? Number(range[1]) : (range[3] as string).charCodeAt(0);
      const hi = range[2] !== undefined ? Number(range[2]) : (range[4] as string).charCodeAt(0);
      if (Math.abs(hi - lo) > 256) throw new TooComplex("brace range too long");
      const step = lo <= hi ? 1 : -1;
      const alts: Frag[] = [];
      for (let v = lo; v !== hi + step; v += step) alts.push(this.b.lit(range[1] !== undefined ? String(v) : String.fromCharCode(v)));
      return this.b.alt(alts);
    }
    const alts: Frag[] = [this.sequence(",}")];
    let comma = false;
    while (this.s[this.i] === ",") {
      comma = true;
      this.i++;
      alts.push(this.sequence(",}"));
    }
    this.i++; // "}"
    this.depth--;
    if (!comma) {
      // `{x}` without a comma is literal text, as in the shell.
      return this.b.lit(this.s.slice(open, this.i));
    }
    return this.b.alt(alts);
  }
}

function build(pattern: string): Program {
  if (pattern.length > MAX_PATTERN_CHARS) throw new TooComplex(`longer than ${MAX_PATTERN_CHARS} characters`);
  const b = new Builder();
  const parser = new Parser(pattern, b);
  const body = parser.sequence("");
  const m = b.node(MATCH);
  b.patch(body.holes, m);
  b.p.start = body.start;
  return b.p;
}

/** A built automaton in flat arrays, with its own work buffers (a hook is single-threaded). */
interface Automaton {
  op: Int32Array;
  arg: Int32Array;
  out: Int32Array;
  out2: Int32Array;
  sets: { neg: boolean; ranges: number[] }[];
  start: number;
  cur: Int32Array;
  nxt: Int32Array;
  mark: Int32Array;
  stack: Int32Array;
  gen: number;
}

function freeze(p: Program): Automaton {
  const n = p.op.length;
  return {
    op: Int32Array.from(p.op),
    arg: Int32Array.from(p.arg),
    out: Int32Array.from(p.out),
    out2: Int32Array.from(p.out2),
    sets: p.sets,
    start: p.start,
    cur: new Int32Array(n),
    nxt: new Int32Array(n),
    mark: new Int32Array(n).fill(-1),
    stack: new Int32Array(2 * n + 2),
    gen: 0,
  };
}

/**
 * Runs the automaton over `path`; true when it accepts the whole path or the part before one of
 * its `/` (a matched folder covers what is inside it). One pass, no backtracking.
 */
function run(a: Automaton, path: string): boolean {
  const { op, arg, out, out2, mark, stack } = a;
  let cur = a.cur;
  let nxt = a.nxt;
  let accept = false;
  // Adds node s and every node reachable from it by epsilon edges to list, from index len.
  const add = (list: Int32Array, len: number, s: number): number => {
    let sp = 0;
    stack[sp++] = s;
    const gen = a.gen;
    while (sp > 0) {
      const x = stack[--sp] as number;
      if (x < 0 || mark[x] === gen) continue;
      mark[x] = gen;
      const o = op[x];
      if (o === SPLIT) {
        stack[sp++] = out2[x] as number;
        stack[sp++] = out[x] as number;
      } else {
        if (o === MATCH) accept = true;
        list[len++] = x;
      }
    }
    return len;
  };
  a.gen++;
  let curLen = add(cur, 0, a.start);
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === 47 && accept && i > 0) return true;
    accept = false;
    a.gen++;
    let nl = 0;
    for (let k = 0; k < curLen; k++) {
      const x = cur[k] as number;
      const o = op[x];
      let ok: boolean;
      if (o === CHAR) ok = arg[x] === c;
      else if (o === ANY) ok = c !== 47;
      else if (o === ALL) ok = true;
      else if (o === SET && c !== 47) {
        const set = a.sets[arg[x] as number] as { neg: boolean; ranges: number[] };
        let inside = false;
        for (let r = 0; r < set.ranges.length && !inside; r += 2) inside = c >= (set.ranges[r] as number) && c <= (set.ranges[r + 1] as number);
        ok = inside !== set.neg;
      } else ok = false;
      if (ok) nl = add(nxt, nl, out[x] as number);
    }
    const t = cur;
    cur = nxt;
    nxt = t;
    curLen = nl;
    if (curLen === 0) return false;
  }
  return accept;
}

/** The fixed leading folders of a pattern (`src/api` of `src/api/**\/x`), or ROOT when none. */
export function plainPrefix(pattern: string): string {
  return fixedSegments(pattern).join("/") || ROOT;
}

/** Why a glob is matched by its plain prefix instead of exactly, or null when it is matched exactly. */
export function tooComplex(pattern: string): string | null {
  if (!isGlob(pattern)) return null;
  const a = compiledAutomaton(pattern);
  return typeof a === "string" ? a : null;
}

const cache = new Map<string, Matcher>();
/** Each glob's automaton, or why it has none (over the bounds). */
const automata = new Map<string, Automaton | string>();
const CACHE_MAX = 4096;

/** How many states a glob's automaton has (null over the bounds): what sizeBound must not undercount. */
export function automatonSize(pattern: string): number | null {
  const a = compiledAutomaton(pattern);
  return typeof a === "string" ? null : a.op.length;
}

/** The automaton of a glob, or why it is over the bounds (then its plain prefix stands in). */
function compiledAutomaton(pattern: string): Automaton | string {
  const hit = automata.get(pattern);
  if (hit !== undefined) return hit;
  let a: Automaton | string;
  try {
    a = freeze(build(pattern.endsWith("/") ? `${pattern}**` : pattern));
  } catch (e) {
    if (!(e instanceof TooComplex)) throw e;
    a = e.message;
  }
  if (automata.size >= CACHE_MAX) automata.clear();
  automata.set(pattern, a);
  return a;
}

export function compile(pattern: string): Matcher {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let m: Matcher;
  if (!isGlob(pattern)) {
    m = (p) => coversPlain(pattern, p);
  } else {
    const program = compiledAutomaton(pattern);
    if (typeof program !== "string") {
      // The literal text counts too: a file really named `app/[id]/page.tsx` is what its claim meant.
      m = (p) => coversPlain(pattern, p) || run(program, p);
    } else {
      const prefix = plainPrefix(pattern);
      m = (p) => coversPlain(prefix, p);
    }
  }
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(pattern, m);
  return m;
}

/** Automaton work (states x characters) one decision may spend on globs before it falls back. */
export const MATCH_BUDGET = 1_000_000;

// An upper bound on a glob's automaton size, known without building it: at most three states a
// character, except a brace range ({1..99}), which expands.
export const sizeBound = (pattern: string): number => (/\{-?\w+\.\.-?\w+\}/.test(pattern) ? MAX_STATES : Math.min(MAX_STATES, 3 * pattern.length + 8));

/**
 * A matcher with a work budget, for one decision over many claims: each glob costs at most its
 * size times the path's length, and once the budget is spent the remaining globs are matched by
 * their plain leading folders (claiming more, never less). `loose` lists the globs so matched.
 * 2,000 claims each with a 500-character glob cost seconds matched one by one.
 */
export function budgeted(budget = MATCH_BUDGET): { covers: (pattern: string, path: string) => boolean; loose: Set<string> } {
  let spent = 0;
  const loose = new Set<string>();
  return {
    loose,
    covers(pattern, path) {
      if (!isGlob(pattern)) return coversPlain(pattern, path);
      const cost = sizeBound(pattern) * (path.length + 1);
      if (spent + cost > budget) {
        loose.add(pattern);
        return coversPlain(plainPrefix(pattern), path);
      }
      spent += cost;
      return compile(pattern)(path);
    },
  };
}

// Names no repository entry is likely to have but every "any name" glob accepts.
const PROBES = ["a", "Z", "0", ".x", "_", "-", "é", "coord probe.name~1"];

/** Does the pattern cover every file of the repository? */
export function coversEverything(pattern: string): boolean {
  if (pattern === ROOT) return true;
  if (!isGlob(pattern)) return false;
  const m = compile(pattern);
  return PROBES.every((name) => m(name) || m(`${name}/x`));
}

/** Why a claim's pattern does not mean what its owner likely thinks, or null. */
export function patternProblem(pattern: string): string | null {
  if (isOutside(pattern)) return "names nothing inside the repository (it climbs out with ..); it protects no file";
  const complex = tooComplex(pattern);
  if (complex) {
    const prefix = plainPrefix(pattern);
    return `too complex to match exactly (${complex}); treated as claiming ${prefix === ROOT ? "the whole repository" : `everything under ${prefix}/`}`;
  }
  return coversEverything(pattern) ? "covers the whole repository: every file is claimed by it" : null;
}

const strip = (s: string) => s.replace(/\/+$/, "");

/** The leading folders of a pattern up to its first glob segment (all of a plain path). */
function fixedSegments(s: string): string[] {
  const out: string[] = [];
  for (const p of strip(s).split("/")) {
    if (isGlob(p) || p.includes("\\")) break;
    out.push(p);
  }
  return out;
}

/**
 * Do two patterns name any path in common? Exact for plain paths; for a glob, conservative: its
 * fixed leading folders must not rule the other out (`src/api/**` and `src/*\/x.ts` may overlap,
 * `src/a/*` and `lib/*` may not). A glob that matches a path also shares its leading folders, so
 * no automaton runs here: the cost is the length of the patterns.
 */
export function patternsOverlap(a: string, b: string): boolean {
  if (isOutside(a) || isOutside(b)) return false;
  if (a === ROOT || b === ROOT) return true;
  const fa = fixedSegments(a);
  const fb = fixedSegments(b);
  const n = Math.min(fa.length, fb.length);
  for (let i = 0; i < n; i++) if (fa[i] !== fb[i]) return false;
  return true;
}

interface Trie {
  next: Map<string, Trie>;
  /** A pattern's fixed folders end here. */
  end: boolean;
  /** Patterns whose fixed folders pass through or end here. */
  below: number;
}

/**
 * patternsOverlap against many patterns at once: the patterns' fixed folders go into a trie, so a
 * lookup costs the depth of the pattern asked about, not the number of claims. Status, the banner
 * and every refresh compare each ready bead with each claim (2,000 x 2,000 took 36 s pairwise).
 */
export function overlapIndex(patterns: readonly string[]): (pattern: string) => boolean {
  const node = (): Trie => ({ next: new Map(), end: false, below: 0 });
  const root = node();
  let everything = false;
  for (const p of patterns) {
    if (isOutside(p)) continue;
    if (p === ROOT) {
      everything = true;
      continue;
    }
    let t = root;
    t.below++;
    for (const seg of fixedSegments(p)) {
      let c = t.next.get(seg);
      if (!c) t.next.set(seg, (c = node()));
      t = c;
      t.below++;
    }
    t.end = true;
  }
  return (q) => {
    if (isOutside(q)) return false;
    if (everything || q === ROOT) return root.below > 0 || everything;
    let t = root;
    for (const seg of fixedSegments(q)) {
      if (t.end) return true;
      const c = t.next.get(seg);
      if (!c) return false;
      t = c;
    }
    return t.below > 0;
  };
}
