// Conflicts before they happen, the git part: every checkout's work (committed and not) as a
// commit, then for every pair the files both changed since their merge base, and merge-tree for
// the pairs that share any. Results are cached by commit ids, which only change with the work.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { readText, writeAtomic } from "../edges/fs";
import { findRepo, type Repo, stateDir } from "../edges/repo";
import { type CheckoutState, type PairPrediction, classify, intersect, pairsOf } from "./conflicts";
import { STABLE_COMMIT_ENV, commitTree, diffNames, gitOk, listWorktrees, mergeBase, mergeTree, pool, workingTree } from "./git";
import type { WorktreeEntry } from "./parse";
import { worktreeName } from "./plan";

export interface Prediction {
  mainBranch: string | null;
  checkouts: CheckoutState[];
  pairs: PairPrediction[];
  /** Checkouts that could not be read, one line each. */
  errors: string[];
}

const CACHE_VERSION = 1;

interface Cache {
  version: number;
  /** "<head> <tree>" -> the uncommitted paths of that work. */
  states: Record<string, { state: string; uncommitted: string[] }>;
  /** "<a> <b>" (sorted) -> merge base. */
  bases: Record<string, string | null>;
  /** "<base> <state>" -> changed paths. */
  diffs: Record<string, string[]>;
  /** "<stateA> <stateB>" (sorted) -> conflicted paths. */
  merges: Record<string, string[]>;
}

const cachePath = (repo: Repo) => join(stateDir(repo), "wt-predict.json");

function readCache(repo: Repo): Cache {
  const empty: Cache = { version: CACHE_VERSION, states: {}, bases: {}, diffs: {}, merges: {} };
  try {
    const c = JSON.parse(readText(cachePath(repo)) ?? "") as Cache;
    return c?.version === CACHE_VERSION && c.states && c.bases && c.diffs && c.merges ? c : empty;
  } catch {
    return empty;
  }
}

/** The active checkouts git knows: the main one first, then linked worktrees whose folder exists. */
export function activeCheckouts(entries: readonly WorktreeEntry[]): WorktreeEntry[] {
  return entries.filter((e) => !e.bare && e.head && !e.prunable && existsSync(e.path));
}

export async function predictConflicts(repo: Repo, opts: { concurrency?: number } = {}): Promise<Prediction> {
  const entries = await listWorktrees(repo.root);
  const main = entries[0] && !entries[0].bare ? entries[0] : null;
  const active = activeCheckouts(entries);
  const mainRoot = main?.path ?? repo.mainRoot;
  const limit = opts.concurrency ?? 4;
  const old = readCache(repo);
  const cache: Cache = { version: CACHE_VERSION, states: {}, bases: {}, diffs: {}, merges: {} };
  const errors: string[] = [];

  const heads = [...new Set(active.map((e) => e.head as string))];
  const headTrees = new Map<string, string>();
  if (heads.length) {
    const trees = (await gitOk(repo.root, ["rev-parse", ...heads.map((h) => `${h}^{tree}`)])).trim().split("\n");
    heads.forEach((h, i) => headTrees.set(h, trees[i] ?? ""));
  }

  const states = await pool(active, limit, async (e): Promise<CheckoutState | null> => {
    const name = e === main ? "main" : worktreeName(e, mainRoot);
    const head = e.head as string;
    try {
      const gitDir = e === main ? repo.commonDir : findRepo(e.path)?.gitDir;
      if (!gitDir) throw new Error("its .git file does not lead to a git directory");
      const tree = await workingTree(e.path, gitDir);
      const base = { name, path: e.path, branch: e.branch, head };
      if (tree === headTrees.get(head)) return { ...base, state: head, uncommitted: [] };
      // commit-tree runs even when cached: with fixed dates it recreates the same id, and so
      // brings the object back if git gc pruned it (nothing refers to it).
      const state = await commitTree(e.path, tree, [head], "coord: uncommitted work (conflict prediction)", STABLE_COMMIT_ENV);
      const key = `${head} ${tree}`;
      const uncommitted = old.states[key]?.uncommitted ?? (await diffNames(e.path, headTrees.get(head) ?? head, tree));
      cache.states[key] = { state, uncommitted };
      return { ...base, state, uncommitted };
    } catch (err) {
      errors.push(`${name} (${e.path}): ${(err as Error).message}`);
      return null;
    }
  });
  const checkouts = states.filter((s): s is CheckoutState => s !== null);

  const baseOf = async (a: string, b: string) => {
    const key = [a, b].sort().join(" ");
    if (!(key in cache.bases)) cache.bases[key] = key in old.bases ? (old.bases[key] ?? null) : await mergeBase(repo.root, a, b);
    return cache.bases[key] ?? null;
  };
  const changedSince = async (base: string, state: string) => {
    const key = `${base} ${state}`;
    cache.diffs[key] ??= old.diffs[key] ?? (await diffNames(repo.root, base, state));
    return cache.diffs[key];
  };

  const pairs = await pool(pairsOf(checkouts), limit, async ([a, b]): Promise<PairPrediction | null> => {
    try {
      const base = await baseOf(a.head, b.head);
      if (!base) return null;
      const ca = await changedSince(base, a.state);
      const cb = await changedSince(base, b.state);
      let conflicts: string[] | null = null;
      if (intersect(ca, cb).length) {
        const key = [a.state, b.state].sort().join(" ");
        cache.merges[key] ??= old.merges[key] ?? (await mergeTree(repo.root, a.state, b.state)).conflicts;
        conflicts = cache.merges[key];
      }
      return classify(a.name, b.name, ca, cb, conflicts);
    } catch (err) {
      errors.push(`${a.name} <> ${b.name}: ${(err as Error).message}`);
      return null;
    }
  });

  try {
    writeAtomic(cachePath(repo), JSON.stringify(cache));
  } catch {
    // A read-only git directory costs speed only.
  }
  return { mainBranch: main?.branch ?? null, checkouts, pairs: pairs.filter((p): p is PairPrediction => p !== null), errors };
}
