// Gathering the facts the plans decide on (read-only git calls) and running the plans' steps.
import { copyFileSync, existsSync, lstatSync, mkdirSync, readlinkSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { readText, writeAtomic } from "../edges/fs";
import { processAlive } from "../edges/proc";
import { findRepo, type Repo, withExcludes } from "../edges/repo";
import { readIndex } from "../edges/worktree-env";
import { commitOf, commitTree, git, gitOk, GitError, isAncestor, listWorktrees, mergeBase, mergeTree, refExists, statusOf, workingTree } from "./git";
import { forgetCheckout } from "./overlap";
import type { WorktreeEntry } from "./parse";
import {
  type BackupFacts,
  type BackupRef,
  BACKUP_PREFIX,
  OLD_BACKUP_PREFIX,
  backupsToPrune,
  type DoneFacts,
  type DoneStep,
  type NewFacts,
  type NewStep,
  type RmFacts,
  backupRef,
  branchRef,
  claudeLock,
  EXCLUDE_LINES,
  findWorktree,
  mergeKind,
  nameProblems,
  selectCopies,
  shortRef,
  worktreeFolder,
} from "./plan";

export interface WtContext {
  repo: Repo;
  entries: WorktreeEntry[];
  /** The main checkout, null in a bare repository. */
  main: WorktreeEntry | null;
  mainRoot: string;
}

export async function wtContext(cwd: string): Promise<WtContext | null> {
  const repo = findRepo(cwd);
  if (!repo) return null;
  const entries = await listWorktrees(repo.root);
  const first = entries[0];
  const main = first && !first.bare ? first : null;
  return { repo, entries, main, mainRoot: main?.path ?? repo.mainRoot };
}

/** The branch new worktrees start from: the main checkout's branch, else init.defaultBranch, else its HEAD. */
export async function mainBaseRef(ctx: WtContext): Promise<string> {
  if (ctx.main?.branch) return shortRef(ctx.main.branch);
  const d = await git(ctx.mainRoot, ["config", "--get", "init.defaultBranch"]);
  const name = d.code === 0 ? d.stdout.trim() : "";
  if (name && (await refExists(ctx.mainRoot, `refs/heads/${name}`))) return name;
  return ctx.main?.head ?? "HEAD";
}

const exists = (p: string) => {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
};

export async function gatherNew(ctx: WtContext, name: string, from: string | undefined): Promise<NewFacts & { gitRejects: string | null }> {
  const baseRef = from ?? (await mainBaseRef(ctx));
  const target = worktreeFolder(ctx.mainRoot, name);
  const facts: NewFacts & { gitRejects: string | null } = {
    name,
    mainRoot: ctx.mainRoot,
    commonDir: ctx.repo.commonDir,
    baseRef,
    baseCommit: null,
    targetExists: exists(target),
    branchExists: false,
    registeredAt: ctx.entries.some((e) => e.path === target),
    copies: [],
    excludeHas: (readText(join(ctx.repo.commonDir, "info", "exclude")) ?? "").split("\n").map((l) => l.trim()).filter((l) => EXCLUDE_LINES.includes(l)),
    usedIndexes: ctx.entries.filter((e) => !e.bare && e.path !== ctx.mainRoot).flatMap((e) => readIndex(e.path) ?? []),
    gitRejects: null,
  };
  if (nameProblems(name).length) return facts;
  // The hand-written rules mirror git's; git has the last word.
  const check = await git(ctx.mainRoot, ["check-ref-format", "--branch", `work/${name}`]);
  if (check.code !== 0) facts.gitRejects = (check.stderr.trim() || "git check-ref-format rejects it").split("\n")[0] ?? null;
  facts.branchExists = await refExists(ctx.mainRoot, branchRef(name));
  facts.baseCommit = await commitOf(ctx.mainRoot, baseRef);
  facts.copies = await untrackedToCopy(ctx.mainRoot);
  return facts;
}

async function untrackedToCopy(mainRoot: string): Promise<string[]> {
  const settings = ".claude/settings.local.json";
  const tracked = async (rel: string) => (await git(mainRoot, ["ls-files", "--error-unmatch", "--", rel])).code === 0;
  const settingsLocal = existsSync(join(mainRoot, settings)) && !(await tracked(settings)) ? settings : null;
  const include = join(mainRoot, ".worktreeinclude");
  if (!existsSync(include)) return selectCopies(settingsLocal, [], new Set());
  const matched = (await gitOk(mainRoot, ["ls-files", "-z", "--others", "--ignored", `--exclude-from=${include}`])).split("\0").filter(Boolean);
  if (!matched.length) return selectCopies(settingsLocal, [], new Set());
  // check-ignore exits 1 when none of them is ignored: not an error.
  const ig = await git(mainRoot, ["check-ignore", "-z", "--stdin"], { stdin: `${matched.join("\0")}\0` });
  if (ig.code !== 0 && ig.code !== 1) throw new GitError(["check-ignore", "-z", "--stdin"], ig);
  return selectCopies(settingsLocal, matched, new Set(ig.stdout.split("\0").filter(Boolean)));
}

export interface StepReport {
  ok: boolean;
  lines: string[];
  /** What failed, when a step did; the steps before it took effect. */
  failure: string | null;
}

function copyOne(from: string, to: string): string {
  if (exists(to)) return `kept ${to} (it already exists)`;
  mkdirSync(dirname(to), { recursive: true });
  const st = lstatSync(from);
  if (st.isSymbolicLink()) symlinkSync(readlinkSync(from), to);
  else copyFileSync(from, to);
  return "";
}

export async function executeNew(ctx: WtContext, steps: readonly NewStep[]): Promise<StepReport> {
  const lines: string[] = [];
  let copied = 0;
  for (const s of steps) {
    try {
      if (s.op === "worktree-add") {
        await gitOk(ctx.mainRoot, ["worktree", "add", "--quiet", "-b", s.branch, s.path, s.commit]);
        lines.push(`made ${s.path} on new branch ${s.branch} at ${s.commit.slice(0, 12)}`);
      } else if (s.op === "copy") {
        const note = copyOne(s.from, s.to);
        if (note) lines.push(note);
        else copied++;
      } else if (s.op === "mkdir") {
        mkdirSync(s.path, { recursive: true });
        lines.push(`test databases go in ${s.path} (COORD_DB_DIR)`);
      } else if (s.op === "index") {
        writeAtomic(s.path, `${s.index}\n`);
        lines.push(`worktree number ${s.index} ({{ index }} in coord.toml's [worktree] variables; coord wt env prints them)`);
      } else if (s.op === "exclude") {
        const next = withExcludes(readText(s.file) ?? "", s.lines, "worktree test databases and copied local settings");
        if (next !== null) writeAtomic(s.file, next);
        lines.push(`git ignores ${s.lines.join(" and ")} (${s.file})`);
      }
    } catch (e) {
      return { ok: false, lines, failure: `${s.op}: ${(e as Error).message}` };
    }
  }
  if (copied) lines.push(`copied ${copied} untracked file${copied === 1 ? "" : "s"} (.claude/settings.local.json and what .worktreeinclude names)`);
  return { ok: true, lines, failure: null };
}

// ---------------------------------------------------------------- done / rm

async function backupFacts(ctx: WtContext, name: string, now: number): Promise<BackupFacts> {
  const existing = await commitOf(ctx.mainRoot, backupRef(name));
  const mainHead = ctx.main?.head ?? null;
  const existingMerged = existing && mainHead ? await isAncestor(ctx.mainRoot, existing, mainHead) : false;
  return { existing, existingMerged, now };
}

/** What git is in the middle of in the main checkout, if anything. */
function mainBusy(commonDir: string): string | null {
  if (existsSync(join(commonDir, "MERGE_HEAD"))) return "merge";
  if (existsSync(join(commonDir, "rebase-merge")) || existsSync(join(commonDir, "rebase-apply"))) return "rebase";
  if (existsSync(join(commonDir, "CHERRY_PICK_HEAD"))) return "cherry-pick";
  if (existsSync(join(commonDir, "REVERT_HEAD"))) return "revert";
  return null;
}

/** For a worktree Claude Code locked: whether that session's process still runs (null: not such a lock). */
export function lockHolderAlive(wt: WorktreeEntry | null): boolean | null {
  const held = claudeLock(wt?.locked ?? null);
  return held ? processAlive(held.pid, null) : null;
}

export async function gatherDone(ctx: WtContext, name: string, now: number): Promise<DoneFacts> {
  const wt = findWorktree(ctx.entries, name, ctx.mainRoot);
  const f: DoneFacts = {
    name,
    worktree: wt,
    lockHolderAlive: lockHolderAlive(wt),
    mainRoot: ctx.mainRoot,
    mainBranch: ctx.main?.branch ?? null,
    mainHead: ctx.main?.head ?? null,
    mainBusy: mainBusy(ctx.repo.commonDir),
    tip: wt?.branch ? (wt.head ?? null) : null,
    base: null,
    worktreeDirty: [],
    conflicts: null,
    target: null,
    mergeError: null,
    changed: [],
    mainDirty: [],
    inTheWay: [],
    backup: { existing: null, existingMerged: false, now },
  };
  if (!wt || !f.tip) return f;
  if (wt.prunable === null) f.worktreeDirty = await statusOf(wt.path);
  if (f.worktreeDirty.length || !f.mainHead || !f.mainBranch) return f;
  f.base = await mergeBase(ctx.mainRoot, f.tip, f.mainHead);
  const kind = mergeKind(f.tip, f.mainHead, f.base);
  if (kind === "merge") {
    const m = await mergeTree(ctx.mainRoot, f.mainHead, f.tip);
    f.conflicts = m.clean ? null : m.conflicts;
    if (!m.clean) return f;
    try {
      // Only an object, referenced by nothing until the main branch moves to it.
      f.target = await commitTree(ctx.mainRoot, m.tree, [f.mainHead, f.tip], `Merge branch '${shortRef(wt.branch as string)}'\n\n(coord wt done ${name})`);
    } catch (e) {
      f.mergeError = (e as Error).message;
      return f;
    }
  } else if (kind === "fast-forward") f.target = f.tip;
  if (f.target) {
    f.changed = (await gitOk(ctx.mainRoot, ["diff-tree", "-r", "--name-only", "-z", "--no-renames", f.mainHead, f.target])).split("\0").filter(Boolean);
    f.mainDirty = await statusOf(ctx.mainRoot);
    const dirty = new Set(f.mainDirty.map((e) => e.path));
    // A path the merge adds must not exist on disk outside git: an ignored file there would be overwritten.
    const added = (await gitOk(ctx.mainRoot, ["diff-tree", "-r", "--name-only", "-z", "--no-renames", "--diff-filter=A", f.mainHead, f.target])).split("\0").filter(Boolean);
    f.inTheWay = added.filter((p) => !dirty.has(p) && exists(join(ctx.mainRoot, p)));
  }
  f.backup = await backupFacts(ctx, name, now);
  return f;
}

export async function gatherRm(ctx: WtContext, name: string, force: boolean, now: number): Promise<RmFacts> {
  const wt = findWorktree(ctx.entries, name, ctx.mainRoot);
  const f: RmFacts = {
    name,
    worktree: wt,
    lockHolderAlive: lockHolderAlive(wt),
    mainRoot: ctx.mainRoot,
    mainBranch: ctx.main?.branch ?? null,
    tip: wt?.head ?? null,
    merged: false,
    worktreeDirty: [],
    snapshot: null,
    force,
    backup: { existing: null, existingMerged: false, now },
  };
  if (!wt) return f;
  if (wt.prunable === null && existsSync(wt.path)) f.worktreeDirty = await statusOf(wt.path);
  const mainHead = ctx.main?.head ?? null;
  f.merged = !!f.tip && !!mainHead && (await isAncestor(ctx.mainRoot, f.tip, mainHead));
  if (force && f.worktreeDirty.length && f.tip) {
    const gitDir = findRepo(wt.path)?.gitDir;
    if (gitDir) {
      const tree = await workingTree(wt.path, gitDir);
      f.snapshot = await commitTree(ctx.mainRoot, tree, [f.tip], `coord: uncommitted work of worktree ${name}, kept by coord wt rm --force`);
    }
  }
  f.backup = await backupFacts(ctx, name, now);
  return f;
}

export async function executeSteps(ctx: WtContext, steps: readonly DoneStep[]): Promise<StepReport> {
  const lines: string[] = [];
  const at = ctx.mainRoot;
  for (const s of steps) {
    try {
      if (s.op === "backup") {
        // One transaction: the old backup (if kept) and the new one move together or not at all.
        const tx = s.moveOld
          ? `create ${s.moveOld.to} ${s.moveOld.commit}\nupdate ${s.ref} ${s.commit} ${s.moveOld.commit}\n`
          : `update ${s.ref} ${s.commit}\n`;
        await gitOk(at, ["update-ref", "--stdin", "-m", "coord wt backup"], { stdin: tx });
        lines.push(`backup: ${s.ref} -> ${s.commit.slice(0, 12)}${s.moveOld ? ` (the earlier backup moved to ${s.moveOld.to})` : ""}`);
      } else if (s.op === "advance-main") {
        const head = (await gitOk(s.checkout, ["rev-parse", "HEAD"])).trim();
        const sym = (await git(s.checkout, ["symbolic-ref", "-q", "HEAD"])).stdout.trim();
        if (head !== s.from || sym !== s.branch) throw new Error(`${shortRef(s.branch)} moved while coord was planning (now ${head.slice(0, 12)}); run the command again`);
        // A fast-forward to a descendant of the main branch: git updates only the files that differ
        // between the two commits, keeps every other uncommitted change (staged or not) as it is,
        // refuses if one of those files is dirty, and moves the branch under the index lock.
        await gitOk(s.checkout, ["merge", "--ff-only", "--no-autostash", "--quiet", s.to], { env: { GIT_MERGE_AUTOEDIT: "no", GIT_OPTIONAL_LOCKS: "1" } });
        lines.push(`${shortRef(s.branch)} moved ${s.from.slice(0, 12)} -> ${s.to.slice(0, 12)} in ${s.checkout}`);
      } else if (s.op === "remove-worktree") {
        const force = s.force ? ["--force", "--force"] : [];
        // git removes ignored files with the worktree without asking: at least name them.
        const ignored = existsSync(s.path) ? await git(s.path, ["ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory"]) : null;
        const gone = ignored?.code === 0 ? ignored.stdout.split("\0").filter((p) => p && !p.startsWith(".coord/")) : [];
        if (existsSync(s.path)) await gitOk(at, ["worktree", "remove", ...force, s.path]);
        else await gitOk(at, ["worktree", "prune"]);
        forgetCheckout(ctx.repo, s.path);
        lines.push(`removed worktree ${s.path} (and its test databases)`);
        if (gone.length) lines.push(`  with the files git ignores there: ${gone.slice(0, 8).join(" ")}${gone.length > 8 ? ` and ${gone.length - 8} more` : ""}`);
      } else if (s.op === "delete-branch") {
        await gitOk(at, ["update-ref", "-d", s.ref, s.expect]);
        lines.push(`deleted branch ${shortRef(s.ref)}`);
      }
    } catch (e) {
      return { ok: false, lines, failure: `${s.op}: ${(e as Error).message}` };
    }
  }
  return { ok: true, lines, failure: null };
}

// ---------------------------------------------------------------- backups

export async function listBackups(ctx: WtContext): Promise<BackupRef[]> {
  const out = await gitOk(ctx.mainRoot, ["for-each-ref", "--format=%(refname)%09%(committerdate:unix)", BACKUP_PREFIX.replace(/\/$/, ""), OLD_BACKUP_PREFIX.replace(/\/$/, "")]);
  return out
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      const [ref, t] = l.split("\t");
      return { ref: ref as string, time: Number(t) || 0 };
    });
}

/** Deletes the backup refs beyond the newest `keep`, in one transaction; says how many went. */
export async function pruneBackups(ctx: WtContext, keep: number, protect: readonly string[]): Promise<string[]> {
  const refs = await listBackups(ctx);
  const gone = backupsToPrune(refs, keep, protect);
  if (!gone.length) return [];
  await gitOk(ctx.mainRoot, ["update-ref", "--stdin"], { stdin: gone.map((r) => `delete ${r}\n`).join("") });
  return [`pruned ${gone.length} older backup ref${gone.length === 1 ? "" : "s"}; ${refs.length - gone.length} kept (settings.backups_kept = ${keep} in coord.toml)`];
}
