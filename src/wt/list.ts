// Gathering `coord wt list`: git's worktrees, their state against the main branch, the sessions
// recorded in each, the claims those sessions hold, and the predicted overlaps.
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Bead } from "../core/claims";
import { findRepo, realpathLoose, stateDir } from "../edges/repo";
import { listSessions } from "../edges/sessions";
import { type WtContext, lockHolderAlive } from "./exec";
import { git, pool } from "./git";
import { claudeLock, worktreeName } from "./plan";
import { predictConflicts } from "./predict";
import type { WorktreeEntry } from "./parse";
import type { ListView, WorktreeRow } from "./view";

function mtime(p: string): number | null {
  try {
    return statSync(p).mtimeMs;
  } catch {
    return null;
  }
}

function lockedBy(e: WorktreeEntry): WorktreeRow["lockedBy"] {
  const held = claudeLock(e.locked);
  return held ? { ...held, alive: lockHolderAlive(e) === true } : null;
}

export async function gatherList(ctx: WtContext, beads: readonly Bead[], now: number): Promise<ListView> {
  const prediction = await predictConflicts(ctx.repo);
  const byPath = new Map(prediction.checkouts.map((c) => [c.path, c]));
  const sessions = listSessions(stateDir(ctx.repo), now).filter((s) => s.endedAt === null);
  const claims = beads.filter((b) => b.status === "in_progress" && b.assignee);
  const mainHead = ctx.main?.head ?? null;
  const entries = ctx.entries.filter((e) => !e.bare);
  const rows = await pool(entries, 4, async (e): Promise<WorktreeRow> => {
    const isMain = e === ctx.main;
    const real = realpathLoose(e.path);
    const here = sessions.filter((s) => realpathLoose(s.root) === real);
    const ids = new Set(here.map((s) => s.identity));
    let ahead: number | null = null;
    let behind: number | null = null;
    if (!isMain && e.head && mainHead) {
      const r = await git(ctx.mainRoot, ["rev-list", "--left-right", "--count", `${e.head}...${mainHead}`]);
      const m = /^(\d+)\s+(\d+)/.exec(r.stdout.trim());
      if (r.code === 0 && m) [ahead, behind] = [Number(m[1]), Number(m[2])];
    }
    const gone = e.prunable ?? (existsSync(e.path) ? null : "its folder is gone");
    const gitDir = isMain ? ctx.repo.commonDir : gone ? null : (findRepo(e.path)?.gitDir ?? null);
    const times = [...here.map((s) => s.lastSeen), gitDir ? mtime(join(gitDir, "index")) : null].filter((t): t is number => t !== null);
    const c = byPath.get(e.path);
    return {
      name: isMain ? "main" : worktreeName(e, ctx.mainRoot),
      path: e.path,
      branch: e.branch,
      main: isMain,
      ahead,
      behind,
      uncommitted: c ? c.uncommitted.length : null,
      sessions: [...ids].sort(),
      claims: claims.filter((b) => ids.has(b.assignee)).map((b) => ({ id: b.id, title: b.title, assignee: b.assignee })),
      lastActivity: times.length ? Math.max(...times) : null,
      locked: e.locked,
      lockedBy: lockedBy(e),
      missing: gone,
      coordMade: !isMain && existsSync(join(e.path, ".coord", "db")),
    };
  });
  return { mainBranch: prediction.mainBranch, worktrees: rows, conflicts: prediction.pairs, errors: prediction.errors };
}
