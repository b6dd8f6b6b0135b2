// Repository-relative path arithmetic. Pure string work: the edges resolve symlinks first.
import { posix } from "node:path";

/**
 * Normalises a path as written in a `Files:` line: `./` and a leading `/` dropped, `..` folded,
 * a trailing `/` kept (it marks a directory). Returns null for what cannot name a repo path.
 */
export function normalizeRepoPath(p: string): string | null {
  let s = p.trim().replace(/\\/g, "/");
  if (!s) return null;
  const dir = s.endsWith("/");
  s = s.replace(/^\/+/, "");
  if (!s) return null;
  const n = posix.normalize(s);
  if (n === "." || n === "./") return null;
  if (n === ".." || n.startsWith("../")) return null;
  const clean = n.replace(/\/+$/, "");
  return dir ? `${clean}/` : clean;
}

/**
 * The path of `abs` below `root`, with `/` separators, or null when `abs` is not inside `root`.
 * Both must already be absolute, normalised and symlink-free.
 */
export function relativeTo(root: string, abs: string): string | null {
  const r = root.endsWith("/") ? root.slice(0, -1) : root;
  if (abs === r) return "";
  if (!abs.startsWith(`${r}/`)) return null;
  return abs.slice(r.length + 1);
}
