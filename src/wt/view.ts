// What `coord wt list` shows, as data and as text. Pure.
import { type PairPrediction, renderPairs } from "./conflicts";

export interface ClaimRef {
  id: string;
  title: string;
  assignee: string;
}

export interface WorktreeRow {
  name: string;
  path: string;
  branch: string | null;
  main: boolean;
  /** Commits on this checkout's HEAD not in the main branch, and the reverse; null when unknown. */
  ahead: number | null;
  behind: number | null;
  /** Uncommitted files (untracked ones included); null when the checkout could not be read. */
  uncommitted: number | null;
  sessions: string[];
  claims: ClaimRef[];
  /** Milliseconds since the epoch, null when nothing is known. */
  lastActivity: number | null;
  locked: string | null;
  /** A lock Claude Code took for one of its sessions, and whether that session's process runs. */
  lockedBy?: { session: string; pid: number; alive: boolean } | null;
  /** Set when the worktree's folder is gone (git worktree prune would drop it). */
  missing: string | null;
  /** Whether `coord wt new` made it (it has the test-database folder). */
  coordMade: boolean;
}

export interface ListView {
  mainBranch: string | null;
  worktrees: WorktreeRow[];
  conflicts: PairPrediction[];
  errors: string[];
}

export function agoMs(t: number | null, now: number): string {
  if (t === null) return "-";
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return `${s}s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m}m ago`;
  const h = Math.round(m / 60);
  return h < 48 ? `${h}h ago` : `${Math.round(h / 24)}d ago`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join("  ").trimEnd());
}

function lockLabel(w: WorktreeRow): string {
  const by = w.lockedBy;
  if (by) return by.alive ? ` (in use: Claude Code ${by.session.slice(0, 8)}, pid ${by.pid})` : ` (stale Claude Code lock, pid ${by.pid} gone)`;
  return w.locked !== null ? " (locked)" : "";
}

export function renderList(v: ListView, now: number): string[] {
  const main = v.mainBranch?.replace(/^refs\/heads\//, "") ?? "main";
  const rows: string[][] = [["NAME", "BRANCH", `VS ${main.toUpperCase()}`, "UNCOMMITTED", "SESSIONS", "CLAIMS", "ACTIVE", "PATH"]];
  for (const w of v.worktrees) {
    const vs = w.main ? "(main)" : w.ahead === null ? "?" : `+${w.ahead} -${w.behind ?? "?"}`;
    const state = w.missing ? "folder gone" : w.uncommitted === null ? "?" : String(w.uncommitted);
    rows.push([
      w.name + lockLabel(w),
      w.branch?.replace(/^refs\/heads\//, "") ?? "(detached)",
      vs,
      state,
      w.sessions.join(",") || "-",
      w.claims.map((c) => c.id).join(",") || "-",
      agoMs(w.lastActivity, now),
      w.path,
    ]);
  }
  const lines = table(rows);
  lines.push("", "overlaps (committed and uncommitted work since each pair's merge base):");
  lines.push(...renderPairs(v.conflicts).map((l) => `  ${l}`));
  for (const e of v.errors) lines.push(`  could not read ${e}`);
  return lines;
}
