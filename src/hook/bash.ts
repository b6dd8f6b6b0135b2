// PreToolUse on Bash: what the command would write or sweep away, judged by the same policy as a
// Write, in whichever checkout of the repository (main or linked worktree) each target lands. The
// command is parsed, never run; what cannot be followed runs, and the model is told.
import { existsSync, lstatSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { analyze, LIMITS, type GitOp, type PatchRef, pathspecsMatch, type Scope, type Target } from "../core/bash";
import { patchedPaths } from "../core/shell/patch";
import type { Bead } from "../core/claims";
import { isLive, isMine, isStaged, isTrackedChange, isUntracked, type PendingEdit, type StatusEntry, underPath } from "../core/live";
import { type Outcome, allow, denyOut, strongest } from "../core/outcome";
import { relativeTo } from "../core/paths";
import { gateOnFreshness } from "../core/freshness";
import { decide, sweptWork } from "../core/policy";
import { type Card, decisionOutcome, pendingCard, renderCard } from "../core/render";
import { gitStatus, pendingEdits, writtenByMe } from "../edges/journal";
import { expandGlob, globBase } from "../edges/glob";
import { realpathLoose, type Repo, stateDir } from "../edges/repo";
import { listSessions } from "../edges/sessions";
import { guardBd } from "./bdguard";
import type { Ctx } from "./context";

/** A written file that has other names. */
interface Linked {
  abs: string;
  dev: number;
  ino: number;
  via: string;
}

export interface Resolved {
  /** The checkout the path lives in. */
  repo: Repo;
  rel: string;
  abs: string;
  via: string;
  exists: boolean;
  isDir: boolean;
  scope: Scope;
}

/** Shell globs are expanded against the file system within these bounds; past them, a note. */
const GLOB_MAX = 500;
const GLOB_MS = 150;

const scopeOf = (t: Target): Scope => t.scope ?? "all";

function isDirectory(abs: string): boolean {
  try {
    return statSync(abs).isDirectory();
  } catch {
    return false;
  }
}

/** A dangling symlink is written through: `echo > link` creates the file it points to. */
function throughLinks(abs: string): string {
  let p = abs;
  for (let hops = 0; hops < 8; hops++) {
    try {
      if (!lstatSync(p).isSymbolicLink()) break;
      if (existsSync(p)) break; // a live link: realpath follows it
      const to = readlinkSync(p);
      p = isAbsolute(to) ? to : resolve(dirname(p), to);
    } catch {
      break;
    }
  }
  return realpathLoose(p);
}

/**
 * Turns parsed targets into paths of the checkouts they land in: folders resolved, globs expanded
 * (bounded), cp/mv into a folder followed, symlinks followed. Git pathspecs with wildcards stay for
 * `expandPathspecs`, which matches them against git's own view. `notes` gets what was cut short.
 */
export interface ResolveOptions {
  notes?: string[];
  linked?: Linked[];
  /** The repository's checkouts: a glob is expanded only inside them and in the folders above them. */
  roots?: readonly string[];
  /** Existing folders outside every checkout (rm -rf ../..): one may hold a whole checkout. */
  outside?: Outside[];
}

interface Outside {
  abs: string;
  via: string;
  scope: Scope;
}

export function resolveTargets(targets: readonly Target[], base: string, repoAt: (p: string) => Repo | null, o: ResolveOptions = {}): Resolved[] {
  const { notes = [], linked = [], roots, outside = [] } = o;
  const out: Resolved[] = [];
  const add = (abs: string, t: Target) => {
    const real = throughLinks(abs);
    try {
      // A file with other names (a hard link): the write changes them too, wherever they are.
      const st = statSync(real);
      if (st.isFile() && st.nlink > 1) linked.push({ abs: real, dev: st.dev, ino: st.ino, via: t.via });
    } catch {
      // Not there yet.
    }
    const repo = repoAt(real);
    if (!repo) {
      if (isDirectory(real)) outside.push({ abs: real, via: t.via, scope: scopeOf(t) });
      return;
    }
    const rel = relativeTo(repo.root, real);
    if (rel === null || rel === ".git" || rel.startsWith(".git/")) return;
    let isDir = false;
    let exists = false;
    try {
      const st = statSync(real);
      exists = true;
      isDir = st.isDirectory();
    } catch {
      // A file the command creates.
    }
    if (isDir && t.into?.length) {
      for (const n of t.into) add(join(real, n), { ...t, into: [] });
      return;
    }
    out.push({ repo, rel, abs: real, via: t.via, exists, isDir: isDir || rel === "", scope: scopeOf(t) });
  };
  const deadline = performance.now() + GLOB_MS;
  for (const t of targets) {
    const dir = resolve(base, t.cwd ?? ".");
    if (t.glob && !t.pathspec) {
      // Another repository the glob starts in (../other/src/*.ts) is walked too: it has its own claims.
      const start = roots ? repoAt(realpathLoose(globBase(t.path, dir))) : null;
      const within = roots ? (start ? [...roots, start.root] : roots) : undefined;
      const { hits, cut } = expandGlob(t.path, dir, { deadline, max: GLOB_MAX, dot: false, ...(within ? { within } : {}) });
      if (cut) notes.push(`coord: not checked: ${t.path} (${t.via}) reaches more of the file system than coord expands before it decides (${hits.length} files checked)`);
      if (hits.length) {
        for (const h of hits) add(h, t);
        continue;
      }
    }
    add(isAbsolute(t.path) ? t.path : resolve(dir, t.path), t);
  }
  return out;
}

const PATCH_MAX = 4 * 1024 * 1024;

/** The files a patch names, from the here-document or the patch file (read, at most 4 MB). */
function patchTargets(patches: readonly PatchRef[], base: string, notes: string[]): Target[] {
  const out: Target[] = [];
  const unread: string[] = [];
  for (const p of patches) {
    let text = p.text;
    if (text === null && p.path !== null) {
      const abs = resolve(base, p.cwd, p.path);
      try {
        if (statSync(abs).size <= PATCH_MAX) text = readFileSync(abs, "utf8");
      } catch {
        text = null;
      }
      if (text === null) unread.push(`${p.via} ${p.path}: the patch could not be read, and the files it changes are named inside it`);
    }
    for (const path of patchedPaths(text ?? "", p.strip)) out.push({ path, cwd: p.cwd, via: p.via, glob: false });
  }
  notes.push(...cannotFollow(unread));
  return out;
}

/** What cannot be followed, said to the model with what to do about it. */
function cannotFollow(unknown: string[]): string[] {
  if (!unknown.length) return [];
  const shown = [...new Set(unknown)].slice(0, 3);
  const more = new Set(unknown).size - shown.length;
  return [
    `coord: this command was not checked against other sessions' claims and uncommitted work: ${shown.join("; ")}${more > 0 ? ` (and ${more} more)` : ""}. ` +
      "If it changes files another session claims or is editing, claim them first (bd update <id> --claim) or ask their owner; coord status shows who holds what.",
  ];
}

interface Checkout {
  repo: Repo;
  env: Record<string, string | undefined>;
  /** Another live session, or another identity's claim (its session may be gone): uncommitted work here may be someone else's. */
  atRisk: boolean;
  status: () => StatusEntry[] | null;
  pendingOf: (files: string[]) => PendingEdit[];
  /** Others' work among the entries a sweep takes: their recorded edits and their claimed files. */
  workOf: (scope: StatusEntry[]) => PendingEdit[];
}

export async function guardBash(ctx: Ctx): Promise<Outcome> {
  const command = ctx.ev.tool.command;
  if (!command?.trim()) return allow();
  if (command.length > LIMITS.chars) return tooLong(command.length);
  const claimsOutcome = await guardBd(ctx, command);
  if (claimsOutcome?.verdict === "deny") return claimsOutcome;
  const writes = await guardWrites(ctx, command);
  return claimsOutcome ? strongest(claimsOutcome, writes) : writes;
}

/**
 * A command longer than the analyzer reads is refused, not waved through with a note: nothing
 * legitimate needs one (content that long goes through the Write tool, which is checked), and
 * reading it would cost the hook its deadline.
 */
function tooLong(chars: number): Outcome {
  return denyOut(
    renderCard({
      what: `refused a Bash command of ${Math.round(chars / 1000)} KB: longer than coord reads (${LIMITS.chars / 1000} KB)`,
      why: ["coord cannot tell what a command this long writes, so it cannot tell whether it overwrites another session's claimed files or uncommitted work"],
      whose: "unknown",
      next: ["write long content with the Write tool, or into a file first, then run a short command that uses it"],
    }),
  );
}

async function guardWrites(ctx: Ctx, command: string): Promise<Outcome> {
  const a = analyze(command);
  const notes = cannotFollow(a.unknown);
  if (!a.targets.length && !a.git.length && !a.patches.length) return allow(notes);
  const base = ctx.cwd;
  const home = ctx.repoAt(base);
  const now = ctx.w.now();
  const env = ctx.w.env;

  // One beads database serves every checkout of the repository.
  const homeClaims = home ? await ctx.claims(home) : null;
  if (homeClaims) notes.push(...homeClaims.notes);
  const beads = homeClaims?.beads ?? [];
  const checkouts = new Map<string, Checkout>();
  const checkout = (repo: Repo): Checkout => {
    let c = checkouts.get(repo.root);
    if (c) return c;
    const state = stateDir(repo);
    const me = ctx.me(repo);
    const idleMs = ctx.idleMs(repo);
    // Another live session is what puts uncommitted work at risk; it may work in another checkout
    // and still have written here (the journal keeps each checkout's files apart).
    const othersLive = listSessions(state, now).some((s) => !isMine(s, me) && isLive(s, now, idleMs));
    const atRisk = othersLive || beads.some((b) => b.assignee !== "" && b.assignee !== me.identity);
    let status: StatusEntry[] | null | undefined;
    const statusOf = () => (status === undefined ? (status = gitStatus(repo.root, [], env)) : status);
    const pendingOf = (files: string[]): PendingEdit[] =>
      atRisk && files.length
        ? // A git status already run is reused; pendingEdits runs its own narrow one only when another session wrote a file.
          pendingEdits({ state, root: repo.root, files, me, now, idleMs, env, abs: (f) => resolve(repo.root, f), claims: beads, ...(status ? { status } : {}) })
        : [];
    c = {
      repo,
      env,
      atRisk,
      status: statusOf,
      pendingOf,
      workOf: (scope) => {
        const files = scope.flatMap((e) => (e.from ? [e.path, e.from] : [e.path]));
        return atRisk ? sweptWork({ scope, recorded: pendingOf(files), mine: writtenByMe(state, repo.root, files, me), claims: beads, me }) : [];
      },
    };
    checkouts.set(repo.root, c);
    return c;
  };

  // `git checkout x`: a path when x exists in the checkout, else a branch switch (as git decides).
  const targets = [...a.targets, ...patchTargets(a.patches, base, notes)];
  const ops: GitOp[] = [];
  for (const op of a.git) {
    if (op.kind !== "checkout-ambiguous") {
      ops.push(op);
      continue;
    }
    const dir = resolve(base, op.cwd ?? ".");
    const paths = op.paths.filter((p) => existsSync(resolve(dir, p)));
    const scope: Scope = op.paths.length > 1 ? "all" : "changed";
    if (paths.length > 0) targets.push(...paths.map((p) => ({ path: p, cwd: op.cwd, via: "git checkout", glob: false, scope, pathspec: true })));
    else ops.push({ ...op, kind: "switch" });
  }
  const linked: Linked[] = [];
  const outside: Outside[] = [];
  const files = targets.filter((t) => !(t.pathspec && (t.glob || t.path.startsWith(":"))));
  const resolved = resolveTargets(files, base, ctx.repoAt, { notes, linked, outside, ...(await globRoots(home, files)) });
  if (linked.length && home) resolved.push(...(await otherNames(linked, home, ctx, notes)));
  resolved.push(...expandPathspecs(targets.filter((t) => t.pathspec && (t.glob || t.path.startsWith(":"))), base, ctx, checkout));

  const outcomes: Outcome[] = [allow(notes)];

  // 1. Git commands that sweep or destroy a whole checkout (or a pathspec of it).
  for (const op of ops) {
    const dir = resolve(base, op.cwd ?? ".");
    if (op.kind === "worktree-remove") {
      const target = ctx.repoAt(resolve(dir, op.paths[0] ?? "."));
      if (target) outcomes.push(removeCheckout(checkout(target), op.text, ctx));
      continue;
    }
    const repo = ctx.repoAt(dir);
    if (!repo) continue;
    const c = checkout(repo);
    if (!c.atRisk) continue;
    const status = c.status();
    if (!status) continue;
    const prefix = relativeTo(repo.root, realpathLoose(dir)) ?? "";
    const card = gitOpCard(op, status, c.workOf, prefix, ctx.me(repo).identity, now);
    if (card) return denyOut(renderCard(card), notes);
  }

  // 2. A folder that holds a whole checkout (rm -rf ../wt, rm -rf ../.. from inside one): removing
  // it is removing that worktree.
  // `within`: the checkout a folder inside one lies in, which it cannot remove.
  const folders = [...resolved.filter((x) => x.isDir).map((x) => ({ ...x, within: x.rel === "" ? null : x.repo.root })), ...outside.map((x) => ({ ...x, within: null }))].filter((x) => x.scope === "all");
  const all = home && folders.length ? await checkoutRoots(home) : [];
  for (const r of folders) {
    for (const path of all) {
      if (path === r.within) continue;
      if (path === r.abs || path.startsWith(`${r.abs}/`)) {
        const repo = ctx.repoAt(path);
        if (repo && repo.root === path) outcomes.push(removeCheckout(checkout(repo), `${r.via} of ${path}`, ctx));
      }
    }
  }

  // 3. Each written path, through the same decide() as a Write, with its own checkout's rules.
  for (const r of resolved) {
    const c = checkout(r.repo);
    const claims = await ctx.claims(r.repo);
    outcomes.push(allow(claims.notes));
    const claimed = claims.beads ?? [];
    const paths = r.isDir ? changedBelow(r, c, claimed) : [r.rel];
    if (!paths.length) continue;
    const pending = c.pendingOf(paths);
    const me = ctx.me(r.repo).identity;
    const cfg = ctx.config(r.repo);
    for (const p of paths) {
      const d = decide({ path: p, me, claims: claimed, zones: cfg.config.zones, pending: pending.filter((x) => x.file === p) });
      const wait = gateOnFreshness(claims.view, d, `Bash (${r.via}) of ${p}`, me);
      outcomes.push(wait ? denyOut(wait) : decisionOutcome(d, `Bash (${r.via})`, now, { why: claims.remote ? [claims.remote] : [] }));
    }
  }
  return strongest(...outcomes);
}

/**
 * The files below a folder target that would really change: what git shows there (filtered by the
 * scope: changed, untracked, ignored), and for a command that changes every file (rm -r, cp into
 * it) the claimed paths that exist there.
 */
function changedBelow(r: Resolved, c: Checkout, beads: readonly Bead[]): string[] {
  const keep = (e: StatusEntry) => {
    if (r.scope === "changed") return !isUntracked(e) && e.x !== "!";
    if (r.scope === "untracked") return isUntracked(e);
    if (r.scope === "ignored") return e.x === "!";
    if (r.scope === "untracked+ignored") return isUntracked(e) || e.x === "!";
    return true;
  };
  // Ignored files appear only when asked for: one more git process, only for git clean -x/-X.
  const status = r.scope === "ignored" || r.scope === "untracked+ignored" ? gitStatus(c.repo.root, [], c.env, { ignored: true }) : c.status();
  const under = (status ?? []).filter((e) => underPath(e.path, r.rel) && keep(e)).map((e) => e.path);
  if (r.scope !== "all") return [...new Set(under)];
  const claimed: string[] = [];
  for (const f of beads.flatMap((b) => b.files)) {
    // The fixed part of a pattern: src/api/ of src/api/**/*.ts.
    const fixed = f.replace(/\/?[^/]*[*?[{].*$/, "").replace(/\/+$/, "");
    // A claim on the folder or above it (src/ claimed, rm -r src/api) covers the folder itself.
    if (r.rel !== "" && underPath(r.rel, fixed)) claimed.push(r.rel);
    // A claim below it counts when there is something there to lose.
    else if (underPath(fixed, r.rel) && existsSync(join(r.repo.root, fixed))) claimed.push(fixed);
  }
  return [...new Set([...under, ...claimed])];
}

/** Wildcard and magic pathspecs (git restore '*.ts', git clean -f ':!x'), matched against git status of their checkout. */
function expandPathspecs(specs: readonly Target[], base: string, ctx: Ctx, checkout: (r: Repo) => Checkout): Resolved[] {
  const out: Resolved[] = [];
  for (const t of specs) {
    const dir = resolve(base, t.cwd ?? ".");
    const repo = ctx.repoAt(dir);
    if (!repo) continue;
    const prefix = relativeTo(repo.root, realpathLoose(dir)) ?? "";
    for (const e of checkout(repo).status() ?? []) {
      if (!pathspecsMatch([t.path], prefix, e.path)) continue;
      out.push({ repo, rel: e.path, abs: join(repo.root, e.path), via: t.via, exists: true, isDir: false, scope: scopeOf(t) });
    }
  }
  return out;
}

/**
 * The claimed files that are other names of a written file (same device and inode): a write through
 * a hard link changes them. Claimed folders and globs are scanned within the glob bounds.
 */
async function otherNames(linked: readonly Linked[], home: Repo, ctx: Ctx, notes: string[]): Promise<Resolved[]> {
  const beads = (await ctx.claims(home)).beads ?? [];
  const out: Resolved[] = [];
  const deadline = performance.now() + GLOB_MS;
  let seen = 0;
  for (const pattern of new Set(beads.flatMap((b) => b.files))) {
    const glob = /[*?[{]/.test(pattern) ? pattern : pattern.endsWith("/") ? `${pattern}**` : pattern;
    try {
      const walk = expandGlob(glob, home.root, { deadline, max: GLOB_MAX - seen, dot: true, onlyFiles: true });
      seen += walk.hits.length;
      for (const abs of walk.hits) {
        const rel = relative(home.root, abs);
        const st = statSync(abs);
        const hit = linked.find((l) => l.dev === st.dev && l.ino === st.ino && l.abs !== abs);
        if (hit) out.push({ repo: home, rel, abs, via: `${hit.via} through a hard link`, exists: true, isDir: false, scope: "all" });
      }
      if (walk.cut) {
        notes.push(`coord: not checked: the other names of ${linked[0]?.abs} (hard links) among more claimed files than coord scans`);
        return out;
      }
    } catch {
      // A claimed path that is not there.
    }
  }
  return out;
}

/** resolveTargets' `roots` when a target is a glob (reading the checkouts costs a few files). */
export async function globRoots(home: Repo | null, targets: readonly Target[]): Promise<{ roots?: readonly string[] }> {
  return home && targets.some((t) => t.glob) ? { roots: await checkoutRoots(home) } : {};
}

/**
 * Every checkout of the repository, by real path; the home checkout always among them. Read once
 * per hook process (one event), however many globs and folders ask.
 */
const rootsOf = new Map<string, Promise<string[]>>();
function checkoutRoots(home: Repo): Promise<string[]> {
  let p = rootsOf.get(home.root);
  if (!p) rootsOf.set(home.root, (p = readCheckoutRoots(home)));
  return p;
}

async function readCheckoutRoots(home: Repo): Promise<string[]> {
  const { checkoutsFromFiles } = await import("../wt/overlap");
  let paths: string[] = [];
  try {
    paths = checkoutsFromFiles(home).map((c) => c.path);
  } catch {
    // Unreadable worktree records: the home checkout still counts.
  }
  return [...new Set([home.root, ...paths].map(realpathLoose))];
}

/** Removing a checkout (git worktree remove, rm -rf <worktree>) loses every uncommitted change in it. */
function removeCheckout(c: Checkout, text: string, ctx: Ctx): Outcome {
  if (!c.atRisk) return allow();
  const pending = c.workOf(c.status() ?? []);
  if (!pending.length) return allow();
  return denyOut(renderCard(pendingCard(pending, `refused ${text}: the worktree ${c.repo.root} holds another's uncommitted work`, ctx.me(c.repo).identity, ctx.w.now(), ["leave the worktree until that session commits: coord wt list"])));
}

function gitOpCard(op: GitOp, status: StatusEntry[], workOf: (scope: StatusEntry[]) => PendingEdit[], prefix: string, me: string | null, now: number): Card | null {
  const inSpecs = (e: StatusEntry) => pathspecsMatch(op.paths, prefix, e.path) || (e.from !== undefined && pathspecsMatch(op.paths, prefix, e.from));
  let scope: StatusEntry[];
  switch (op.kind) {
    case "stash":
    case "reset-hard":
      // Untracked files stay where they are (reset --hard does delete staged new ones), unless stash -u/-a.
      scope = op.kind === "stash" && / -(u|a)$| --(include-untracked|all)$/.test(op.text) ? status : status.filter((e) => !isUntracked(e));
      break;
    case "switch":
      scope = status;
      break;
    case "add":
    case "commit-paths":
      scope = status.filter(inSpecs);
      break;
    case "commit-all":
      scope = status.filter(isTrackedChange);
      break;
    case "commit-staged":
      scope = status.filter((e) => isStaged(e) || (op.paths.length > 0 && inSpecs(e)));
      break;
    default:
      return null;
  }
  const pending = workOf(scope);
  if (!pending.length) return null;
  const theirs = new Set(pending.map((p) => p.file));
  // The session's own files: what git shows changed that no other live session wrote (they may not be staged yet: git add x && git commit).
  const others = new Set(workOf(status).map((p) => p.file));
  const mine = status.filter((e) => !others.has(e.path) && !theirs.has(e.path)).map((e) => e.path);
  const myFiles = mine.length ? mine.slice(0, 8).join(" ") : "<your files>";
  const what =
    op.kind === "switch"
      ? `refused ${op.text}: switching branches would carry or clobber another session's uncommitted work`
      : op.kind === "stash" || op.kind === "reset-hard"
        ? `refused ${op.text}: it would take away another's uncommitted work`
        : `refused ${op.text}: it would include another's uncommitted files`;
  const commitMine = `commit only your own files, leaving the shared index alone: git commit -m "<message>" -- ${myFiles}`;
  const extra =
    op.kind === "stash"
      ? [`stash only your own files: git stash push -- ${myFiles}`]
      : op.kind === "reset-hard"
        ? [`undo only your own files: git restore -- ${myFiles}`]
        : op.kind === "switch"
          ? ["work on another branch in a worktree: coord wt new <name> (or git worktree add)"]
          : op.kind === "commit-staged"
            ? [commitMine, `or unstage their files: git restore --staged ${[...theirs].slice(0, 8).join(" ")}`]
            : [commitMine];
  return pendingCard(pending, what, me, now, extra);
}
