// Glob expansion against the file system, bounded: Bun.Glob's scan returns nothing until its first
// match, so a pattern that matches nothing (`/**/zz1`) walked the whole disk inside a hook. This
// walk starts at the pattern's fixed folders, descends only where the rest of the pattern can
// still match, and stops at a deadline or a count, saying so. Given the repository's checkouts
// (`within`), it reads only inside them and the folders above them: nothing outside a checkout is
// claimed, so `/**/x` costs a few directory reads on the way down instead of the whole disk.
import { type Dirent, readdirSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { realpathLoose } from "./repo";

const GLOB_CHARS = /[*?[\]{}]/;

export interface GlobWalk {
  /** Absolute paths that match. */
  hits: string[];
  /** The walk stopped at its deadline or its count: more may match. */
  cut: boolean;
}

/** The folders a glob names before its first wildcard, and the rest. */
function split(pattern: string, cwd: string): { fixedBase: string; parts: string[] } {
  const parts = pattern.split("/").filter((p, i) => p !== "" || i === 0);
  const fixed: string[] = [];
  while (parts.length > 1 && !GLOB_CHARS.test(parts[0] as string)) fixed.push(parts.shift() as string);
  return { fixedBase: isAbsolute(pattern) ? resolve("/", ...fixed) : resolve(cwd, ...fixed), parts };
}

/** Where the walk of a glob starts: its fixed folders. */
export const globBase = (pattern: string, cwd: string): string => split(pattern, cwd).fixedBase;

export function expandGlob(pattern: string, cwd: string, o: { deadline: number; max: number; dot: boolean; onlyFiles?: boolean; within?: readonly string[] }): GlobWalk {
  const { fixedBase, parts } = split(pattern, cwd);
  // Real paths on both sides: a cwd reached through a symlink must not look outside the checkouts.
  const base = o.within ? realpathLoose(fixedBase) : fixedBase;
  const within = o.within;
  const inside = (p: string) => !within || within.some((r) => p === r || p.startsWith(`${r}/`));
  const above = (p: string) => !!within && within.some((r) => r.startsWith(p === "/" ? "/" : `${p}/`));
  const rest = parts.join("/");
  const deep = parts.includes("**") || /\{[^}]*\//.test(rest);
  const maxDepth = deep ? Number.POSITIVE_INFINITY : parts.length;
  const matcher = new Bun.Glob(rest);
  // As in the shell, a leading dot is matched only by a pattern that spells it.
  const dot = o.dot || /(^|\/)\./.test(rest);
  const hits: string[] = [];
  const stack: [string, string, number][] = inside(base) || above(base) ? [[base, "", 0]] : [];
  while (stack.length) {
    if (performance.now() > o.deadline || hits.length >= o.max) return { hits, cut: true };
    const [dir, rel, depth] = stack.pop() as [string, string, number];
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (!dot && e.name.startsWith(".")) continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      const isDir = e.isDirectory();
      const abs = join(dir, e.name);
      // Above a checkout only the folders on the way to it count (rm -rf /tmp/* removes it).
      if (!inside(abs) && !(isDir && above(abs))) continue;
      if ((!o.onlyFiles || !isDir) && matcher.match(r)) {
        hits.push(abs);
        if (hits.length >= o.max) return { hits, cut: true };
      }
      if (isDir && !e.isSymbolicLink() && depth + 1 < maxDepth) stack.push([abs, r, depth + 1]);
    }
  }
  return { hits, cut: false };
}
