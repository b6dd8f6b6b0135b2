// Running git for the worktree commands: argument arrays through edges/proc, a deadline on every
// call, and an environment that cannot point git at another repository.
import { copyFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunResult, run } from "../edges/proc";
import { type MergeTreeResult, type StatusV2Entry, type WorktreeEntry, parseMergeTree, parseNames, parseStatusV2, parseWorktreeList } from "./parse";

export const GIT_TIMEOUT_MS = 60_000;

/** Variables a calling git hook or shell may have set that would redirect git away from `cwd`. */
const REDIRECTING = ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_PREFIX", "GIT_NAMESPACE", "GIT_OBJECT_DIRECTORY"];

export function gitEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...(process.env as Record<string, string | undefined>) };
  for (const k of REDIRECTING) delete env[k];
  // Read-only calls (status, diff) must not take index.lock: another session may be committing.
  env.GIT_OPTIONAL_LOCKS = "0";
  env.GIT_TERMINAL_PROMPT = "0";
  return { ...env, ...extra };
}

export interface GitCall {
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  stdin?: string;
}

export function git(cwd: string, args: readonly string[], o: GitCall = {}): Promise<RunResult> {
  return run(["git", ...args], { cwd, env: gitEnv(o.env), timeoutMs: o.timeoutMs ?? GIT_TIMEOUT_MS, ...(o.stdin === undefined ? {} : { stdin: o.stdin }) });
}

export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly result: RunResult,
  ) {
    const why = result.spawnError ?? (result.timedOut ? "timed out" : (result.stderr.trim() || result.stdout.trim()).split("\n").slice(0, 3).join(" / "));
    super(`git ${args.join(" ")}: ${why || `exit ${result.code}`}`);
  }
}

/** Runs git and returns stdout, or throws GitError. */
export async function gitOk(cwd: string, args: readonly string[], o: GitCall = {}): Promise<string> {
  const r = await git(cwd, args, o);
  if (r.code !== 0) throw new GitError(args, r);
  return r.stdout;
}

export async function listWorktrees(cwd: string): Promise<WorktreeEntry[]> {
  return parseWorktreeList(await gitOk(cwd, ["worktree", "list", "--porcelain", "-z"]));
}

export async function statusOf(path: string): Promise<StatusV2Entry[]> {
  return parseStatusV2(await gitOk(path, ["status", "--porcelain=v2", "-z", "--untracked-files=all", "--ignored=no"])).filter((e) => e.kind !== "ignored");
}

/** The commit a revision names, or null. Revisions starting with "-" are refused, never passed as options. */
export async function commitOf(cwd: string, rev: string): Promise<string | null> {
  if (rev.startsWith("-")) return null;
  const r = await git(cwd, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]);
  return r.code === 0 ? r.stdout.trim() || null : null;
}

export async function refExists(cwd: string, ref: string): Promise<boolean> {
  return (await git(cwd, ["show-ref", "--verify", "--quiet", ref])).code === 0;
}

export async function mergeBase(cwd: string, a: string, b: string): Promise<string | null> {
  if (a === b) return a;
  const r = await git(cwd, ["merge-base", a, b]);
  return r.code === 0 ? r.stdout.trim() || null : null;
}

export async function isAncestor(cwd: string, a: string, b: string): Promise<boolean> {
  if (a === b) return true;
  const r = await git(cwd, ["merge-base", "--is-ancestor", a, b]);
  if (r.code === 0) return true;
  if (r.code === 1) return false;
  throw new GitError(["merge-base", "--is-ancestor", a, b], r);
}

export async function mergeTree(cwd: string, a: string, b: string): Promise<MergeTreeResult> {
  const args = ["merge-tree", "--write-tree", "-z", "--name-only", "--no-messages", a, b];
  const r = await git(cwd, args);
  const parsed = r.code === null ? null : parseMergeTree(r.stdout, r.code);
  if (!parsed) throw new GitError(args, r);
  return parsed;
}

/** Paths that differ between two commits or trees, renames counted as a delete plus an add. */
export async function diffNames(cwd: string, a: string, b: string): Promise<string[]> {
  if (a === b) return [];
  return parseNames(await gitOk(cwd, ["diff-tree", "-r", "--name-only", "-z", "--no-renames", a, b]));
}

/** Fixed identity and dates: the same tree on the same parent always gives the same commit id. */
export const STABLE_COMMIT_ENV = {
  GIT_AUTHOR_NAME: "coord",
  GIT_AUTHOR_EMAIL: "coord@localhost",
  GIT_COMMITTER_NAME: "coord",
  GIT_COMMITTER_EMAIL: "coord@localhost",
  GIT_AUTHOR_DATE: "1700000000 +0000",
  GIT_COMMITTER_DATE: "1700000000 +0000",
};
/**
 * The tree of a checkout as it is on disk, taken through a copy of its index: the real index and
 * the working files are never written, and untracked files count (unlike `git stash create`).
 */
export async function workingTree(checkout: string, gitDir: string): Promise<string> {
  const tmp = join(tmpdir(), `coord-index-${process.pid}-${Math.random().toString(36).slice(2)}`);
  try {
    try {
      copyFileSync(join(gitDir, "index"), tmp);
    } catch {
      // No index yet (nothing ever added): git starts from an empty one.
    }
    const env = { GIT_INDEX_FILE: tmp };
    await gitOk(checkout, ["add", "-A", "--ignore-errors"], { env });
    return (await gitOk(checkout, ["write-tree"], { env })).trim();
  } finally {
    rmSync(tmp, { force: true });
    rmSync(`${tmp}.lock`, { force: true });
  }
}

export async function commitTree(cwd: string, tree: string, parents: readonly string[], message: string, env: Record<string, string> = {}): Promise<string> {
  const args = ["commit-tree", tree, ...parents.flatMap((p) => ["-p", p]), "-m", message];
  return (await gitOk(cwd, args, { env })).trim();
}

/** Runs `fn` over `items` with at most `limit` at a time (the machine may have two cores). */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
