// Glob expansion against the file system, bounded: Bun.Glob's scan returns nothing until its first
// match, so a pattern that matches nothing (`/**/zz1`) walked the whole disk inside a hook. This
// walk starts at the pattern's fixed folders, descends only where the rest of the pattern can
// still match, and stops at a deadline or a count, saying so.
import { type Dirent, readdirSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";

const GLOB_CHARS = /[*?[\]{}]/;

export interface GlobWalk {
  /** Absolute paths that match. */
  hits: string[];
  /** The walk stopped at its deadline or its count: more may match. */
  cut: boolean;
}

export function expandGlob(pattern: string, cwd: string, o: { deadline: number; max: number; dot: boolean; onlyFiles?: boolean }): GlobWalk {
  const parts = pattern.split("/").filter((p, i) => p !== "" || i === 0);
  const fixed: string[] = [];
  while (parts.length > 1 && !GLOB_CHARS.test(parts[0] as string)) fixed.push(parts.shift() as string);
  const base = isAbsolute(pattern) ? resolve("/", ...fixed) : resolve(cwd, ...fixed);
  const rest = parts.join("/");
  const deep = parts.includes("**") || /\{[^}]*\//.test(rest);
  const maxDepth = deep ? Number.POSITIVE_INFINITY : parts.length;
  const matcher = new Bun.Glob(rest);
  // As in the shell, a leading dot is matched only by a pattern that spells it.
  const dot = o.dot || /(^|\/)\./.test(rest);
  const hits: string[] = [];
  const stack: [string, string, number][] = [[base, "", 0]];
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
      if ((!o.onlyFiles || !isDir) && matcher.match(r)) {
        hits.push(join(dir, e.name));
        if (hits.length >= o.max) return { hits, cut: true };
      }
      if (isDir && !e.isSymbolicLink() && depth + 1 < maxDepth) stack.push([join(dir, e.name), r, depth + 1]);
    }
  }
  return { hits, cut: false };
}
