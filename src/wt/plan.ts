// Worktree plans as data. Every command first gathers facts (read-only git calls), then one of
// these functions turns them into either a refusal card or the exact steps to run. A refusal is
// decided before any step runs, so it changes nothing.
import { basename, dirname, join } from "node:path";
import type { Card } from "../core/render";
import type { StatusV2Entry, WorktreeEntry } from "./parse";

export const BRANCH_PREFIX = "work/";
export const BACKUP_PREFIX = "refs/coord/backup/";
/** Older backups of the same name are moved here instead of being overwritten. */
export const OLD_BACKUP_PREFIX = "refs/coord/backup-old/";
export const DB_DIR_REL = ".coord/db";
/**
 * Lines added to the common info/exclude (shared by every checkout, never committed): each
 * worktree's test databases, and the copied local Claude settings, which would otherwise make a
 * fresh worktree look dirty to `wt done`.
 */
export const EXCLUDE_LINES = ["/.coord/db/", "/.coord/index", "/.claude/settings.local.json"];
export const INDEX_REL = ".coord/index";

export const branchRef = (name: string) => `refs/heads/${BRANCH_PREFIX}${name}`;
export const backupRef = (name: string) => `${BACKUP_PREFIX}${name}`;
export const worktreeFolder = (mainRoot: string, name: string) => join(dirname(mainRoot), `${basename(mainRoot)}-${name}`);
export const shortRef = (ref: string) => ref.replace(/^refs\/heads\//, "");

const NAME_MAX = 100;

/**
 * Why `name` cannot name a worktree: empty when it can. The name becomes both the branch
 * `work/<name>` (git's check-ref-format rules) and the folder `<repo>-<name>` (one path component).
 */
export function nameProblems(name: string): string[] {
  const p: string[] = [];
  if (name === "") return ["the name is empty"];
  if (name.length > NAME_MAX) p.push(`it is ${name.length} characters long; keep it under ${NAME_MAX}`);
  if (name.includes("/")) p.push(`"/" would put the folder ${name} below another folder; use "-" instead`);
  if (name.startsWith("-")) p.push('it starts with "-", which commands would read as an option');
  if (name.startsWith(".")) p.push('it starts with ".", which git refuses in a branch name');
  if (name.endsWith(".")) p.push('it ends with ".", which git refuses in a branch name');
  if (name.endsWith(".lock")) p.push('it ends with ".lock", which git reserves for its lock files');
  if (name.includes("..")) p.push('it contains "..", which git refuses in a branch name');
  if (name.includes("@{")) p.push('it contains "@{", which git reads as a reflog selector');
  if (name === "@") p.push('"@" alone means HEAD to git');
  // Control characters, space and these punctuation marks are what check-ref-format rejects.
  const bad = [...new Set(name.match(/[\x00-\x20\x7f~^:?*[\\]/g) ?? [])];
  if (bad.length) p.push(`it contains ${bad.map((c) => (c === " " ? "a space" : JSON.stringify(c))).join(", ")}, which git refuses in a branch name`);
  return p;
}

/** A short name for a worktree, whoever made it: `work/<name>` branch, `<repo>-<name>` folder, else the folder. */
export function worktreeName(e: WorktreeEntry, mainRoot: string): string {
  const b = e.branch ? shortRef(e.branch) : null;
  if (b?.startsWith(BRANCH_PREFIX)) return b.slice(BRANCH_PREFIX.length);
  const base = basename(e.path);
  const prefix = `${basename(mainRoot)}-`;
  if (base.startsWith(prefix) && base.length > prefix.length) return base.slice(prefix.length);
  return base;
}

/** The linked worktree a name refers to. The main checkout (first entry) is never one. */
export function findWorktree(entries: readonly WorktreeEntry[], name: string, mainRoot: string): WorktreeEntry | null {
  const linked = entries.filter((e) => !e.bare && e.path !== mainRoot);
  return (
    linked.find((e) => e.branch === branchRef(name)) ??
    linked.find((e) => e.path === worktreeFolder(mainRoot, name)) ??
    linked.find((e) => worktreeName(e, mainRoot) === name) ??
    linked.find((e) => e.branch === `refs/heads/${name}`) ??
    null
  );
}

export type Plan<S> = { ok: true; steps: S[]; next: string[] } | { ok: false; card: Card };

const refusal = (card: Card): { ok: false; card: Card } => ({ ok: false, card });

// ---------------------------------------------------------------- new

export type NewStep =
  | { op: "worktree-add"; path: string; branch: string; commit: string }
  | { op: "copy"; rel: string; from: string; to: string }
  | { op: "mkdir"; path: string }
  | { op: "index"; path: string; index: number }
  | { op: "exclude"; file: string; lines: string[] };

export interface NewFacts {
  name: string;
  mainRoot: string;
  commonDir: string;
  /** Where the base came from (`--from`, or the main branch) and the commit it names, null if unresolved. */
  baseRef: string;
  baseCommit: string | null;
  targetExists: boolean;
  branchExists: boolean;
  /** A registered worktree already uses that folder (possibly one whose folder was deleted). */
  registeredAt: boolean;
  /** Untracked files of the main checkout to carry over (repo-relative). */
  copies: string[];
  /** The lines of EXCLUDE_LINES the exclude file already has. */
  excludeHas: string[];
  /** The numbers other coord worktrees hold (their `.coord/index`). */
  usedIndexes: number[];
}

/** The smallest worktree number not in use: a removed worktree's number is handed out again. */
export function nextIndex(used: readonly number[]): number {
  let i = 1;
  while (used.includes(i)) i++;
  return i;
}

export function planNew(f: NewFacts): Plan<NewStep> {
  const problems = nameProblems(f.name);
  if (problems.length)
    return refusal({ what: `cannot make a worktree named "${f.name}"`, why: problems, whose: "yours", next: ["pick a name of letters, digits, '-', '_' or '.': coord wt new api-v2"] });
  const path = worktreeFolder(f.mainRoot, f.name);
  const branch = `${BRANCH_PREFIX}${f.name}`;
  const why: string[] = [];
  if (f.targetExists) why.push(`the folder ${path} already exists`);
  if (f.registeredAt && !f.targetExists) why.push(`git still has a worktree registered at ${path} (its folder is gone: git worktree prune clears it)`);
  if (f.branchExists) why.push(`the branch ${branch} already exists`);
  if (why.length)
    return refusal({
      what: `refused to make worktree ${f.name}`,
      why: [...why, "coord never overwrites a folder or a branch"],
      whose: "yours",
      next: [`pick another name: coord wt new ${f.name}-2`, `or see what is there: coord wt list`],
    });
  if (!f.baseCommit)
    return refusal({ what: `refused to make worktree ${f.name}`, why: [`${f.baseRef} does not name a commit`], whose: "yours", next: ["name the base explicitly: coord wt new <name> --from <branch or commit>"] });
  const steps: NewStep[] = [{ op: "worktree-add", path, branch, commit: f.baseCommit }];
  for (const rel of f.copies) steps.push({ op: "copy", rel, from: join(f.mainRoot, rel), to: join(path, rel) });
  steps.push({ op: "mkdir", path: join(path, DB_DIR_REL) });
  steps.push({ op: "index", path: join(path, INDEX_REL), index: nextIndex(f.usedIndexes) });
  const missing = EXCLUDE_LINES.filter((l) => !f.excludeHas.includes(l));
  if (missing.length) steps.push({ op: "exclude", file: join(f.commonDir, "info", "exclude"), lines: missing });
  return { ok: true, steps, next: [`cd ${shellQuote(path)}`, "claude"] };
}

/** Quotes a path for the commands coord prints, only when it needs it. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Which untracked files `wt new` carries over: the local Claude settings, and what
 * `.worktreeinclude` matches among the files git ignores (an untracked file git does not ignore
 * would make the new worktree look dirty; a tracked one is already checked out).
 */
export function selectCopies(settingsLocal: string | null, includeMatches: readonly string[], ignored: ReadonlySet<string>): string[] {
  const out = new Set<string>();
  if (settingsLocal) out.add(settingsLocal);
  for (const p of includeMatches) if (ignored.has(p)) out.add(p);
  return [...out].sort();
}

// ---------------------------------------------------------------- done / rm

export type MergeKind = "up-to-date" | "fast-forward" | "merge";

/** How the branch tip joins the main branch, from the merge base of the two. */
export function mergeKind(tip: string, mainHead: string, base: string | null): MergeKind {
  if (tip === mainHead || tip === base) return "up-to-date";
  if (base === mainHead) return "fast-forward";
  return "merge";
}

export type DoneStep =
  | { op: "backup"; ref: string; commit: string; moveOld: { from: string; to: string; commit: string } | null }
  | { op: "advance-main"; checkout: string; branch: string; from: string; to: string }
  | { op: "remove-worktree"; path: string; force: boolean }
  | { op: "delete-branch"; ref: string; expect: string };

export interface BackupFacts {
  /** What refs/coord/backup/<name> points to now, if it exists. */
  existing: string | null;
  /** Whether that commit is already in the main branch (nothing would be lost overwriting it). */
  existingMerged: boolean;
  now: number;
}

function backupStep(name: string, commit: string, b: BackupFacts): DoneStep {
  const ref = backupRef(name);
  const keep = b.existing && b.existing !== commit && !b.existingMerged;
  return { op: "backup", ref, commit, moveOld: keep && b.existing ? { from: ref, to: `${OLD_BACKUP_PREFIX}${name}/${Math.floor(b.now / 1000)}`, commit: b.existing } : null };
}

export interface DoneFacts {
  name: string;
  worktree: WorktreeEntry | null;
  /** When a Claude Code session locked the worktree: is its process still running? */
  lockHolderAlive?: boolean | null;
  mainRoot: string;
  /** The branch checked out in the main checkout (refs/heads/...), null when detached. */
  mainBranch: string | null;
  mainHead: string | null;
  /** Set when the main checkout is in the middle of a merge, rebase, cherry-pick or revert. */
  mainBusy: string | null;
  tip: string | null;
  base: string | null;
  worktreeDirty: StatusV2Entry[];
  /** Only looked at for a real merge: the conflicted paths, or null when the merge is clean. */
  conflicts: string[] | null;
  /** The commit the main branch moves to: the tip (fast-forward) or the new merge commit. */
  target: string | null;
  /** Why the merge commit could not be made, when it could not. */
  mergeError: string | null;
  /** Paths that differ between the main branch and the target. */
  changed: string[];
  mainDirty: StatusV2Entry[];
  /** Paths the merge adds that exist in the main checkout outside git (untracked or ignored). */
  inTheWay: string[];
  backup: BackupFacts;
}

/** Claude Code locks the worktrees it works in: `git worktree lock --reason "claude session <id> (pid N ...)"`. */
export function claudeLock(reason: string | null): { session: string; pid: number } | null {
  const m = reason ? /claude session (\S+) \(pid (\d+)/i.exec(reason) : null;
  return m?.[1] && m[2] ? { session: m[1], pid: Number(m[2]) } : null;
}

/**
 * A worktree a running Claude Code session works in is never removed, --force or not: the session
 * would lose its folder mid-edit. A lock whose process is gone is stale and no obstacle.
 */
function inUse(f: { name: string; worktree: WorktreeEntry | null; lockHolderAlive?: boolean | null }, verb: string): Plan<DoneStep> | null {
  const held = claudeLock(f.worktree?.locked ?? null);
  if (!held || f.lockHolderAlive !== true) return null;
  return refusal({
    what: `refused to ${verb} worktree ${f.name}: a Claude Code session is working in it`,
    why: [`Claude Code session ${held.session} (pid ${held.pid}, running) locked it: ${f.worktree?.locked}`],
    whose: `Claude Code session ${held.session}`,
    next: ["finish or exit that session first (Claude Code unlocks the worktree when it ends), then run this again", "coord wt list shows which worktrees are in use"],
  });
}

const staleClaudeLock = (f: { worktree: WorktreeEntry | null; lockHolderAlive?: boolean | null }) => claudeLock(f.worktree?.locked ?? null) !== null && f.lockHolderAlive === false;

const list = (paths: readonly string[], max = 12) => (paths.length <= max ? [...paths] : [...paths.slice(0, max), `... and ${paths.length - max} more`]);

export function dirtyLines(entries: readonly StatusV2Entry[]): string[] {
  // "kind: path", not aligned columns: a card folds runs of blanks like any text it shows.
  return entries.filter((e) => e.kind !== "ignored").map((e) => `${e.kind === "untracked" ? "untracked" : e.kind === "unmerged" ? "unmerged" : "modified"}: ${e.origPath ? `${e.origPath} -> ` : ""}${e.path}`);
}

export function planDone(f: DoneFacts): Plan<DoneStep> & { kind?: MergeKind } {
  const wt = f.worktree;
  if (!wt)
    return refusal({ what: `no worktree named ${f.name}`, why: ["git worktree list has no linked worktree by that branch or folder name"], whose: "-", next: ["see the worktrees: coord wt list"] });
  if (!wt.branch || !f.tip)
    return refusal({
      what: `refused to merge worktree ${f.name}`,
      why: [`${wt.path} has no branch checked out (detached HEAD), so there is nothing to merge by name`],
      whose: "yours",
      next: [`put its work on a branch: git -C ${shellQuote(wt.path)} switch -c work/${f.name}`, `or remove it when nothing would be lost: coord wt rm ${f.name}`],
    });
  const busy = inUse(f, "finish");
  if (busy) return busy;
  if (wt.locked !== null && !staleClaudeLock(f))
    return refusal({ what: `refused to finish worktree ${f.name}`, why: [`it is locked${wt.locked ? `: ${wt.locked}` : ""}`], whose: "whoever locked it", next: [`unlock it when that is over: git worktree unlock ${shellQuote(wt.path)}`] });
  if (f.worktreeDirty.length)
    return refusal({
      what: `refused to finish worktree ${f.name}: it has uncommitted changes`,
      why: list(dirtyLines(f.worktreeDirty)),
      whose: `the session working in ${wt.path}`,
      next: [`commit them: git -C ${shellQuote(wt.path)} add -A && git -C ${shellQuote(wt.path)} commit`, `then run again: coord wt done ${f.name}`],
    });
  if (!f.mainBranch || !f.mainHead)
    return refusal({ what: `refused to finish worktree ${f.name}`, why: [`the main checkout ${f.mainRoot} is not on a branch, so there is no main branch to merge into`], whose: "the main checkout", next: [`switch it to the main branch: git -C ${shellQuote(f.mainRoot)} switch main`] });
  if (f.mainBusy)
    return refusal({ what: `refused to finish worktree ${f.name}`, why: [`the main checkout is in the middle of a ${f.mainBusy}`], whose: "the main checkout", next: [`finish or abort the ${f.mainBusy} there first`] });
  if (wt.branch === f.mainBranch)
    return refusal({ what: `refused to finish worktree ${f.name}`, why: [`it has the main branch ${shortRef(f.mainBranch)} checked out`], whose: "-", next: ["nothing to merge"] });

  const kind = mergeKind(f.tip, f.mainHead, f.base);
  const main = shortRef(f.mainBranch);
  const branch = shortRef(wt.branch);
  if (kind === "merge" && f.conflicts && f.conflicts.length)
    return refusal({
      what: `refused to merge ${branch} into ${main}: the merge would conflict`,
      why: list(f.conflicts.map((c) => `conflict in ${c}`)),
      whose: `${branch} and ${main}`,
      next: [
        `bring ${main} into the worktree and resolve there: git -C ${shellQuote(wt.path)} merge ${main}`,
        `then commit and run again: coord wt done ${f.name}`,
        "nothing was changed",
      ],
    });
  if (kind === "merge" && (f.mergeError || !f.target))
    return refusal({ what: `refused to merge ${branch} into ${main}`, why: [`git could not make the merge commit: ${f.mergeError ?? "unknown error"}`], whose: "-", next: ["set an identity: git config user.name ... && git config user.email ...", "nothing was changed"] });

  const steps: DoneStep[] = [backupStep(f.name, f.tip, f.backup)];
  if (kind !== "up-to-date") {
    const changed = new Set(f.changed);
    const blocking = f.mainDirty.filter((e) => e.kind !== "ignored" && (changed.has(e.path) || (e.origPath !== null && changed.has(e.origPath))));
    if (blocking.length || f.inTheWay.length)
      return refusal({
        what: `refused to merge ${branch} into ${main}: the main checkout has uncommitted changes in files the merge changes`,
        why: list([...dirtyLines(blocking), ...f.inTheWay.map((p) => `not tracked ${p} (the merge adds it)`)]),
        whose: `whoever works in the main checkout ${f.mainRoot}`,
        next: ["ask them to commit those files (or do it if they are yours)", `then run again: coord wt done ${f.name}`, "nothing was changed"],
      });
    steps.push({ op: "advance-main", checkout: f.mainRoot, branch: f.mainBranch, from: f.mainHead, to: kind === "fast-forward" ? f.tip : (f.target as string) });
  }
  steps.push({ op: "remove-worktree", path: wt.path, force: staleClaudeLock(f) });
  steps.push({ op: "delete-branch", ref: wt.branch, expect: f.tip });
  return { ok: true, kind, steps, next: [] };
}

export interface RmFacts {
  name: string;
  worktree: WorktreeEntry | null;
  /** When a Claude Code session locked the worktree: is its process still running? */
  lockHolderAlive?: boolean | null;
  mainRoot: string;
  mainBranch: string | null;
  /** The worktree's HEAD commit. */
  tip: string | null;
  /** Whether the tip is in the main branch already. */
  merged: boolean;
  worktreeDirty: StatusV2Entry[];
  /** With --force and uncommitted work: a commit holding it (parent: the tip), made without touching the worktree. */
  snapshot: string | null;
  force: boolean;
  backup: BackupFacts;
}

export function planRm(f: RmFacts): Plan<DoneStep> {
  const wt = f.worktree;
  if (!wt) return refusal({ what: `no worktree named ${f.name}`, why: ["git worktree list has no linked worktree by that branch or folder name"], whose: "-", next: ["see the worktrees: coord wt list"] });
  const busy = inUse(f, "remove");
  if (busy) return busy;
  if (wt.locked !== null && !f.force && !staleClaudeLock(f))
    return refusal({ what: `refused to remove worktree ${f.name}`, why: [`it is locked${wt.locked ? `: ${wt.locked}` : ""}`], whose: "whoever locked it", next: [`unlock it when that is over: git worktree unlock ${shellQuote(wt.path)}`] });
  const main = f.mainBranch ? shortRef(f.mainBranch) : "the main branch";
  const branch = wt.branch ? shortRef(wt.branch) : "its detached HEAD";
  const lost: string[] = [];
  if (f.worktreeDirty.length) lost.push(...list(dirtyLines(f.worktreeDirty)).map((l) => `uncommitted: ${l}`));
  if (f.tip && !f.merged) lost.push(`${branch} has commits that are not in ${main}`);
  if (lost.length && !f.force)
    return refusal({
      what: `refused to remove worktree ${f.name}: work would be lost`,
      why: lost,
      whose: `the session working in ${wt.path}`,
      next: [`merge it instead: coord wt done ${f.name}`, `or remove it anyway (a backup ref keeps everything): coord wt rm ${f.name} --force`],
    });
  const steps: DoneStep[] = [];
  const keep = f.snapshot ?? f.tip;
  if (keep) steps.push(backupStep(f.name, keep, f.backup));
  steps.push({ op: "remove-worktree", path: wt.path, force: (f.force && (f.worktreeDirty.length > 0 || wt.locked !== null)) || staleClaudeLock(f) });
  if (wt.branch && f.tip && wt.branch !== f.mainBranch) steps.push({ op: "delete-branch", ref: wt.branch, expect: f.tip });
  const next =
    lost.length && keep
      ? [
          `everything is kept in ${backupRef(f.name)}${f.snapshot ? " (its last commit holds the uncommitted changes)" : ""}`,
          `restore it: coord wt new ${f.name} --from ${backupRef(f.name)}`,
        ]
      : [];
  return { ok: true, steps, next };
}

// ---------------------------------------------------------------- backups

export interface BackupRef {
  ref: string;
  /** Committer time of the commit it keeps, seconds since the epoch. */
  time: number;
}

/**
 * The backup refs `wt done` deletes: all but the newest `keep` (by the time of the commit each one
 * keeps), never one in `protect` (the backup this run just wrote).
 */
export function backupsToPrune(refs: readonly BackupRef[], keep: number, protect: readonly string[] = []): string[] {
  // The backup just written is the newest whatever its commit's date: it fills the first place.
  const newest = [...refs].sort((a, b) => Number(protect.includes(b.ref)) - Number(protect.includes(a.ref)) || b.time - a.time || (a.ref < b.ref ? -1 : 1));
  const kept = new Set(newest.slice(0, Math.max(0, keep)).map((r) => r.ref));
  for (const p of protect) kept.add(p);
  return newest.filter((r) => !kept.has(r.ref)).map((r) => r.ref);
}
