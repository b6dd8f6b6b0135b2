// Repository-relative path arithmetic. Pure string work: the edges resolve symlinks first.
import { posix } from "node:path";

/**
 * Normalises a path as written in a `Files:` line: `./` and a leading `/` dropped, `..` folded,
 * a trailing `/` kept (it marks a directory). The repository itself (`.`, `/`, `src/..`) is `.`;
 * a path that climbs out of it is returned as written, so that it can be reported rather than
 * lost (escapesRoot tells). Returns null only for an empty string.
 */
export function normalizeRepoPath(p: string): string | null {
  const written = p.trim().replace(/\\/g, "/");
  if (!written) return null;
  const dir = written.endsWith("/");
  const s = written.replace(/^\/+/, "");
  if (!s) return ".";
  const n = posix.normalize(s);
  if (n === "." || n === "./") return ".";
  if (n === ".." || n.startsWith("../")) return written;
  const clean = n.replace(/\/+$/, "");
  return dir ? `${clean}/` : clean;
}

/** Does a pattern (as normalizeRepoPath keeps it) climb out of the repository? */
export function escapesRoot(p: string): boolean {
  if (!p.includes("..")) return false;
  const n = posix.normalize(p.replace(/^\/+/, ""));
  return n === ".." || n.startsWith("../");
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
