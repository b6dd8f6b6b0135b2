// The PreToolUse question "has another checkout changed this file?", answered on every edit.
// Each checkout's changed files are kept in one small file under <common>/coord/wt-changes/,
// valid while that checkout's HEAD, index and the main branch stay put: a warm answer reads a
// few files and starts no git process. Edits made through Claude's file tools do not touch the
// index, so the hook also records each file it lets a session edit in that session's checkout.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { readText, writeAtomic } from "../edges/fs";
import { type Repo, realpathLoose, stateDir } from "../edges/repo";
import { git, mergeBase, pool } from "./git";
import { parseNames } from "./parse";

const VERSION = 1;
/** Edits outside Claude's file tools (a shell, an editor) show up at the latest after this long. */
export const CHANGES_TTL_MS = 60_000;
/** A recorded edit may land on disk a little after the hook ran: keep it across a recompute this long. */
const TOUCH_SLACK_MS = 10_000;
const HOOK_GIT_TIMEOUT_MS = 1500;

export interface CheckoutFiles {
  path: string;
  gitDir: string;
  branch: string | null;
  head: string | null;
  indexStamp: string;
  main: boolean;
}

interface ChangeRecord {
  version: number;
  path: string;
  head: string | null;
  indexStamp: string;
  mainTip: string | null;
  computedAt: number;
  /** Changed since the merge base with the main branch, committed or not; null until computed. */
  files: string[] | null;
  /** Files the hook let a session in this checkout edit, with when. */
  touched: Record<string, number>;
}

function resolveHead(gitDir: string, commonDir: string, packed: () => string): { head: string | null; branch: string | null } {
  const text = (readText(join(gitDir, "HEAD")) ?? "").trim();
  if (!text.startsWith("ref: ")) return { head: /^[0-9a-f]{40,64}$/.test(text) ? text : null, branch: null };
  const ref = text.slice(5).trim();
  const loose = (readText(join(commonDir, ref)) ?? "").trim();
  if (/^[0-9a-f]{40,64}$/.test(loose)) return { head: loose, branch: ref };
  const line = packed()
    .split("\n")
    .find((l) => l.endsWith(` ${ref}`) && !l.startsWith("#") && !l.startsWith("^"));
  return { head: line ? line.slice(0, line.indexOf(" ")) : null, branch: ref };
}

function indexStamp(gitDir: string): string {
  try {
    const st = statSync(join(gitDir, "index"));
    return `${st.mtimeMs}:${st.size}:${st.ino}`;
  } catch {
    return "none";
  }
}

/** Every checkout of the repository, read from git's own files (no git process). */
export function checkoutsFromFiles(repo: Repo): CheckoutFiles[] {
  let packedText: string | null = null;
  const packed = () => (packedText ??= readText(join(repo.commonDir, "packed-refs")) ?? "");
  const out: CheckoutFiles[] = [];
  const mainGit = join(repo.mainRoot, ".git");
  if (realpathLoose(mainGit) === repo.commonDir) {
    out.push({ path: repo.mainRoot, gitDir: repo.commonDir, ...resolveHead(repo.commonDir, repo.commonDir, packed), indexStamp: indexStamp(repo.commonDir), main: true });
  }
  let ids: string[] = [];
  try {
    ids = readdirSync(join(repo.commonDir, "worktrees"));
  } catch {
    return out;
  }
  for (const id of ids.sort()) {
    const gitDir = join(repo.commonDir, "worktrees", id);
    const dotGit = (readText(join(gitDir, "gitdir")) ?? "").trim();
    if (!dotGit) continue;
    const path = realpathLoose(dirname(dotGit));
    try {
      if (!statSync(path).isDirectory()) continue;
    } catch {
      continue;
    }
    out.push({ path, gitDir, ...resolveHead(gitDir, repo.commonDir, packed), indexStamp: indexStamp(gitDir), main: false });
  }
  return out;
}

const recordPath = (repo: Repo, checkout: string) => join(stateDir(repo), "wt-changes", `${createHash("sha1").update(checkout).digest("hex").slice(0, 16)}.json`);

function readRecord(repo: Repo, checkout: string): ChangeRecord | null {
  try {
    const r = JSON.parse(readText(recordPath(repo, checkout)) ?? "") as ChangeRecord;
    return r?.version === VERSION && r.path === checkout && r.touched ? r : null;
  } catch {
    return null;
  }
}

function writeRecord(repo: Repo, r: ChangeRecord): void {
  try {
    writeAtomic(recordPath(repo, r.path), JSON.stringify(r));
  } catch {
    // Only speed and the recorded edits are lost.
  }
}

/** Forgets a removed checkout (wt done / wt rm). */
export function forgetCheckout(repo: Repo, checkout: string): void {
  rmSync(recordPath(repo, checkout), { force: true });
}

export function isFresh(r: ChangeRecord | null, c: CheckoutFiles, mainTip: string | null, now: number, ttlMs = CHANGES_TTL_MS): boolean {
  return !!r && r.files !== null && r.head === c.head && r.indexStamp === c.indexStamp && r.mainTip === mainTip && now - r.computedAt < ttlMs;
}

async function recompute(repo: Repo, c: CheckoutFiles, mainTip: string | null, prev: ChangeRecord | null, now: number): Promise<ChangeRecord> {
  const o = { timeoutMs: HOOK_GIT_TIMEOUT_MS };
  const base = c.head && mainTip ? await mergeBase(c.path, c.head, mainTip) : c.head;
  const [diff, untracked] = await Promise.all([
    base ? git(c.path, ["diff", "--name-only", "-z", "--no-renames", base], o) : Promise.resolve(null),
    git(c.path, ["ls-files", "--others", "--exclude-standard", "-z"], o),
  ]);
  const files = new Set<string>();
  if (diff?.code === 0) for (const f of parseNames(diff.stdout)) files.add(f);
  if (untracked.code === 0) for (const f of parseNames(untracked.stdout)) files.add(f);
  const touched: Record<string, number> = {};
  // Re-read: the session in that checkout may have recorded an edit while git ran.
  const latest = readRecord(repo, c.path) ?? prev;
  for (const [p, t] of Object.entries(latest?.touched ?? {})) if (t > now - TOUCH_SLACK_MS) touched[p] = t;
  const rec: ChangeRecord = { version: VERSION, path: c.path, head: c.head, indexStamp: c.indexStamp, mainTip, computedAt: now, files: [...files].sort(), touched };
  writeRecord(repo, rec);
  return rec;
}

export interface OtherWork {
  name: string;
  path: string;
  branch: string | null;
  main: boolean;
}

/**
 * Which other checkouts have changed `rel` (repo-relative), committed or not; records that the
 * session in `repo.root` is about to change it. A repository without linked worktrees costs one
 * readdir.
 */
export async function othersChanging(repo: Repo, rel: string, now: number): Promise<OtherWork[]> {
  if (!existsSync(join(repo.commonDir, "worktrees"))) return [];
  const all = checkoutsFromFiles(repo);
  if (!all.some((c) => !c.main)) return [];
  const me = all.find((c) => c.path === repo.root);
  if (me) {
    const own = readRecord(repo, me.path) ?? { version: VERSION, path: me.path, head: null, indexStamp: "", mainTip: null, computedAt: 0, files: null, touched: {} };
    own.touched[rel] = now;
    writeRecord(repo, own);
  }
  const mainTip = all.find((c) => c.main)?.head ?? null;
  const others = all.filter((c) => c.path !== repo.root);
  const records = await pool(others, 4, async (c) => {
    const r = readRecord(repo, c.path);
    if (isFresh(r, c, mainTip, now)) return r as ChangeRecord;
    return recompute(repo, c, mainTip, r, now);
  });
  const out: OtherWork[] = [];
  others.forEach((c, i) => {
    const r = records[i];
    if (r && (r.files?.includes(rel) || rel in r.touched)) {
      const b = c.branch?.replace(/^refs\/heads\//, "") ?? null;
      out.push({ name: c.main ? "main checkout" : b?.startsWith("work/") ? b.slice(5) : c.path.split("/").pop() || c.path, path: c.path, branch: b, main: c.main });
    }
  });
  return out;
}

export function overlapNote(rel: string, others: readonly OtherWork[]): string | null {
  if (!others.length) return null;
  const who = others.map((o) => (o.main ? `the main checkout (${o.path})` : `worktree ${o.name} (${o.path}${o.branch ? `, branch ${o.branch}` : ""})`)).join(" and ");
  return `coord: warning: ${rel} has also been changed in ${who}; editing it here may conflict when the work is merged (coord wt list shows the overlaps)`;
}
