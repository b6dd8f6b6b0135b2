// Does a repository path fall under a `Files:` pattern? Plain paths cover everything below
// them (a path that names a directory claims its contents); globs use picomatch and, like
// gitignore, a glob that matches a directory covers what is inside it.
import type Picomatch from "picomatch";

// picomatch loads on the first glob: most claims are plain paths, and a hook pays for every
// module it evaluates.
let picomatch: typeof Picomatch | null = null;
const glob = (pattern: string) => {
  picomatch ??= require("picomatch") as typeof Picomatch;
  return picomatch(pattern, { dot: true });
};

export type Matcher = (path: string) => boolean;

const GLOB = /[*?[\]{}!()]/;
const cache = new Map<string, Matcher>();

/** Does a plain (glob-free) pattern cover `path`? No matcher is built: most claims are plain. */
export function coversPlain(pattern: string, path: string): boolean {
  const base = pattern.endsWith("/") ? pattern.replace(/\/+$/, "") : pattern;
  return path === base || (path.startsWith(base) && path.charCodeAt(base.length) === 47);
}

export function isGlob(pattern: string): boolean {
  return GLOB.test(pattern);
}

export function compile(pattern: string): Matcher {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let m: Matcher;
  if (!GLOB.test(pattern)) {
    m = (p) => coversPlain(pattern, p);
  } else {
    const g = pattern.endsWith("/") ? `${pattern}**` : pattern;
    const pm = glob(g);
    m = (p) => {
      if (pm(p)) return true;
      for (let i = p.lastIndexOf("/"); i > 0; i = p.lastIndexOf("/", i - 1)) {
        if (pm(p.slice(0, i))) return true;
      }
      return false;
    };
  }
  cache.set(pattern, m);
  return m;
}
/** Do two patterns name any path in common? Exact for plain paths, conservative for globs. */
export function patternsOverlap(a: string, b: string): boolean {
  const ga = GLOB.test(a);
  const gb = GLOB.test(b);
  const strip = (s: string) => s.replace(/\/+$/, "");
  if (!ga && !gb) {
    const x = strip(a);
    const y = strip(b);
    return x === y || x.startsWith(`${y}/`) || y.startsWith(`${x}/`);
  }
  if (!ga) return compile(b)(strip(a)) || staticPrefixOverlap(a, b);
  if (!gb) return compile(a)(strip(b)) || staticPrefixOverlap(b, a);
  return staticPrefixOverlap(a, b);
}

// Two globs (or a directory and a glob below it) overlap when neither's fixed leading
// directories rule the other out: `src/api/**` and `src/*/x.ts` may, `src/a/*` and `lib/*` may not.
function staticPrefixOverlap(a: string, b: string): boolean {
  const fixed = (s: string) => {
    const parts = s.replace(/\/+$/, "").split("/");
    const out: string[] = [];
    for (const p of parts) {
      if (GLOB.test(p)) break;
      out.push(p);
    }
    return out;
  };
  const fa = fixed(a);
  const fb = fixed(b);
  const n = Math.min(fa.length, fb.length);
  for (let i = 0; i < n; i++) if (fa[i] !== fb[i]) return false;
  return true;
}

/**
 * patternsOverlap against many patterns at once. Plain paths go into sets of themselves and their
 * ancestors, so a lookup costs the depth of the path rather than the number of claims: status and
 * the banner compare every ready bead with every claim.
 */
export function overlapIndex(patterns: readonly string[]): (pattern: string) => boolean {
  const strip = (s: string) => s.replace(/\/+$/, "");
  const plain = new Set<string>();
  const above = new Set<string>();
  const globs: string[] = [];
  for (const p of patterns) {
    if (GLOB.test(p)) {
      globs.push(p);
      continue;
    }
    const x = strip(p);
    plain.add(x);
    for (let i = x.lastIndexOf("/"); i > 0; i = x.lastIndexOf("/", i - 1)) above.add(x.slice(0, i));
  }
  return (p) => {
    if (GLOB.test(p)) return patterns.some((q) => patternsOverlap(p, q));
    const x = strip(p);
    if (plain.has(x) || above.has(x)) return true;
    for (let i = x.lastIndexOf("/"); i > 0; i = x.lastIndexOf("/", i - 1)) if (plain.has(x.slice(0, i))) return true;
    return globs.some((g) => patternsOverlap(p, g));
  };
}
