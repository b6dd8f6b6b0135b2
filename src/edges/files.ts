// The repository's file list: what zones are proposed from, checked against, and free work named by.
import { runSync } from "./proc";

/** Tracked files plus untracked, not ignored ones (a fresh repository has nothing tracked yet). */
export function repoPaths(root: string, timeoutMs = 20_000): string[] {
  const r = runSync(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, timeoutMs });
  return r.code === 0 ? [...new Set(r.stdout.split("\0").filter(Boolean))] : [];
}
