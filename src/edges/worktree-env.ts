// What a checkout's sessions get of their own: the test-database folder a coord worktree has, and
// the facts the `[worktree]` templates of coord.toml are rendered with (src/core/wtenv.ts).
import { existsSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import type { WorktreeFacts } from "../core/wtenv";
import { readText } from "./fs";
import type { Repo } from "./repo";

export const DB_DIR = join(".coord", "db");
/** A coord worktree's number, written by `coord wt new` and kept for the worktree's life. */
export const INDEX_FILE = join(".coord", "index");

/** The worktree's own test-database folder, or null in the main checkout / a worktree without one. */
export function worktreeDbDir(repo: Repo): string | null {
  if (repo.root === repo.mainRoot) return null;
  const d = join(repo.root, DB_DIR);
  return existsSync(d) ? d : null;
}

export function readIndex(root: string): number | null {
  const t = readText(join(root, INDEX_FILE))?.trim();
  return t && /^\d+$/.test(t) ? Number(t) : null;
}

/**
 * The checkout's number: 0 for the main checkout, the recorded one for a coord worktree, else
 * (a worktree made by other means) its place among git's worktree records, after the numbers
 * coord handed out. `recorded` says which, so `coord wt env` can say a number may move.
 */
export function worktreeIndex(repo: Repo): { index: number; recorded: boolean } {
  if (repo.root === repo.mainRoot) return { index: 0, recorded: true };
  const own = readIndex(repo.root);
  if (own !== null) return { index: own, recorded: true };
  let names: string[] = [];
  try {
    names = readdirSync(join(repo.commonDir, "worktrees")).sort();
  } catch {
    names = [];
  }
  const mine = basename(repo.gitDir);
  const at = names.indexOf(mine);
  return { index: 100 + (at < 0 ? names.length : at) + 1, recorded: false };
}

export function worktreeFacts(repo: Repo): WorktreeFacts & { recorded: boolean } {
  const { index, recorded } = worktreeIndex(repo);
  const main = basename(repo.mainRoot);
  const base = basename(repo.root);
  const name = repo.root === repo.mainRoot ? "main" : base.startsWith(`${main}-`) && base.length > main.length + 1 ? base.slice(main.length + 1) : base;
  return { index, name, root: repo.root, mainRoot: repo.mainRoot, dbDir: join(repo.root, DB_DIR), recorded };
}
