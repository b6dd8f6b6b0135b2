// The per-worktree test-database folder a coord worktree gets (see src/wt/).
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Repo } from "./repo";

export const DB_DIR = join(".coord", "db");

/** The worktree's own test-database folder, or null in the main checkout / a worktree without one. */
export function worktreeDbDir(repo: Repo): string | null {
  if (repo.root === repo.mainRoot) return null;
  const d = join(repo.root, DB_DIR);
  return existsSync(d) ? d : null;
}
