// PreToolUse on Bash: what the command would write or sweep away, judged by the same policy as a
// Write. The command is parsed, never run; what cannot be followed runs with a one-line note.
import { existsSync, statSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { analyze, type GitOp, type Target } from "../core/bash";
import type { Bead } from "../core/claims";
import { isLive, isMine, isStaged, isTrackedChange, isUntracked, type PendingEdit, type StatusEntry, underPath } from "../core/live";
import { patternsOverlap } from "../core/match";
import { relativeTo } from "../core/paths";
import { type Decision, decide } from "../core/policy";
import { type Card, decisionCard, decisionNote, pendingCard, renderCard } from "../core/render";
import { locateBeads } from "../edges/bd";
import { budgetMs, loadConfig } from "../edges/config";
import { gitStatus, pendingEdits } from "../edges/journal";
import { findRepoCached, realpathLoose, type Repo, stateDir } from "../edges/repo";
import { listSessions } from "../edges/sessions";
import { loadClaims } from "../edges/snapshot";
import type { World } from "./guard";
import { type HookInput, type HookResult, ask, deny, silent, warn } from "./protocol";
import { eventCwd, meOf } from "./record";

export interface Resolved {
  rel: string;
  abs: string;
  via: string;
  exists: boolean;
  isDir: boolean;
  untrackedOnly: boolean;
}

const MAX_GLOB = 500;

/** Turns parsed targets into repository paths: folders resolved, globs expanded, cp/mv into a folder followed. */
export function resolveTargets(targets: readonly Target[], base: string, repo: Repo): Resolved[] {
  const out: Resolved[] = [];
  const add = (abs: string, t: Target) => {
    const real = realpathLoose(abs);
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
    out.push({ rel, abs: real, via: t.via, exists, isDir: isDir || rel === "", untrackedOnly: !!t.untrackedOnly });
  };
  for (const t of targets) {
    const dir = resolve(base, t.cwd ?? ".");
    if (t.glob) {
      let hits: string[] = [];
      try {
        hits = [...new Bun.Glob(t.path).scanSync({ cwd: dir, dot: true, onlyFiles: false, absolute: true })].slice(0, MAX_GLOB);
      } catch {
        hits = [];
      }
      if (hits.length) {
        for (const h of hits) add(h, t);
        continue;
      }
    }
    add(isAbsolute(t.path) ? t.path : resolve(dir, t.path), t);
  }
  return out;
}

function oneLine(unknown: string[]): string[] {
  if (!unknown.length) return [];
  return [`coord: not checked: ${unknown[0]}${unknown.length > 1 ? ` (and ${unknown.length - 1} more)` : ""}; the command runs unchecked there`];
}

export async function guardBash(input: HookInput, w: World): Promise<HookResult> {
  const command = input.toolInput.command;
  if (typeof command !== "string" || !command.trim()) return silent();
  const a = analyze(command);
  const notes = oneLine(a.unknown);
  if (!a.targets.length && !a.git.length) return silent(notes);
  const base = eventCwd(input, w);
  const repo = findRepoCached(base);
  if (!repo) return silent(notes);
  const state = stateDir(repo);
  const cfg = loadConfig(repo.root);
  const idleMs = cfg.config.settings.sessionIdleMinutes * 60_000;
  const me = meOf(input, w, repo);
  const now = w.now();

  // `git checkout x`: a path when x exists in the checkout, else a branch switch (as git decides).
  const targets = [...a.targets];
  const ops: GitOp[] = [];
  for (const op of a.git) {
    if (op.kind !== "checkout-ambiguous") {
      ops.push(op);
      continue;
    }
    const dir = resolve(base, op.cwd ?? ".");
    const paths = op.paths.filter((p) => existsSync(resolve(dir, p)));
    if (paths.length > 0) targets.push(...paths.map((p) => ({ path: p, cwd: op.cwd, via: "git checkout", glob: false })));
    else ops.push({ ...op, kind: "switch" });
  }
  const resolved = resolveTargets(targets, base, repo);

  // Another live session in this checkout is what makes uncommitted work at risk; without one,
  // no journal lookups and no git process.
  const othersLive = listSessions(state, now).some((s) => s.root === repo.root && !isMine(s, me) && isLive(s, now, idleMs));
  const needStatus = othersLive && (ops.length > 0 || resolved.some((r) => r.isDir));
  const status: StatusEntry[] | null = needStatus ? gitStatus(repo.root, [], w.env) : null;
  const pendingOf = (files: string[]): PendingEdit[] =>
    othersLive && files.length
      ? pendingEdits({ state, root: repo.root, files, me, now, idleMs, env: w.env, abs: (f) => resolve(repo.root, f), ...(status ? { status } : {}) })
      : [];

  // 1. Git commands that sweep or destroy the whole checkout (or a pathspec of it).
  for (const op of ops) {
    if (!othersLive || !status) continue;
    const card = gitOpCard(op, status, pendingOf, repo, base, me.identity, now);
    if (card) return deny(renderCard(card), notes);
  }

  // 2. Each written path, through the same decide() as a Write.
  if (!resolved.length) return silent(notes);
  let claims: Bead[] = [];
  const loc = locateBeads(repo, w.env);
  if (loc) {
    const view = await loadClaims({ stateDir: state, loc, cwd: repo.root, env: w.env, budgetMs: budgetMs(w.env, cfg.config.settings.refreshBudgetMs), now: w.now, sleep: w.sleep });
    if (view.note) notes.push(view.note);
    claims = (view.snapshot?.beads ?? []).filter((b) => b.status === "in_progress");
  }
  const decisions: { d: Decision; via: string }[] = [];
  for (const r of resolved) {
    let paths = [r.rel];
    if (r.isDir) {
      // A folder covers the claims and the uncommitted files below it.
      const under = (status ?? []).filter((e) => underPath(e.path, r.rel) && (!r.untrackedOnly || isUntracked(e))).map((e) => e.path);
      const claimed = claims.flatMap((b) => b.files.filter((f) => patternsOverlap(r.rel === "" ? "**" : `${r.rel}/`, f)));
      paths = [...new Set([...under, ...claimed])];
      if (!paths.length) continue;
    }
    const pending = pendingOf(paths);
    for (const p of paths) {
      decisions.push({ d: decide({ path: p, me: me.identity, claims, zones: cfg.config.zones, pending: pending.filter((x) => x.file === p) }), via: r.via });
    }
  }
  const refused = decisions.find((x) => x.d.verdict === "deny");
  if (refused) {
    const card = decisionCard(refused.d, `Bash (${refused.via})`, now);
    if (card) return deny(renderCard(card), notes);
  }
  const asked = decisions.find((x) => x.d.verdict === "ask");
  const askNote = asked ? decisionNote(asked.d) : null;
  if (askNote && w.env.CLAUDE_CODE_ENTRYPOINT === "cli") return ask(askNote, notes);
  const warned = decisions.map((x) => decisionNote(x.d)).filter((n): n is string => !!n);
  if (warned.length) return { ...warn(warned.join("\n")), stderr: [...notes, ...warned] };
  return silent(notes);
}

function pathspecRel(spec: string, opCwd: string | null, base: string, repo: Repo): string | null {
  if (spec === ":/" || spec.startsWith(":/")) return spec.slice(2).replace(/^\/+/, "");
  const rel = relativeTo(repo.root, realpathLoose(resolve(base, opCwd ?? ".", spec)));
  return rel;
}

function gitOpCard(
  op: GitOp,
  status: StatusEntry[],
  pendingOf: (files: string[]) => PendingEdit[],
  repo: Repo,
  base: string,
  me: string | null,
  now: number,
): Card | null {
  const specs = op.paths.map((p) => pathspecRel(p, op.cwd, base, repo)).filter((p): p is string => p !== null);
  const inSpecs = (e: StatusEntry) => specs.some((s) => underPath(e.path, s) || (e.from !== undefined && underPath(e.from, s)));
  let scope: StatusEntry[];
  switch (op.kind) {
    case "stash":
    case "reset-hard":
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
      scope = status.filter(isStaged);
      break;
    default:
      return null;
  }
  const pending = pendingOf(scope.map((e) => e.path));
  if (!pending.length) return null;
  const theirs = new Set(pending.map((p) => p.file));
  const mine = scope.filter((e) => !theirs.has(e.path)).map((e) => e.path);
  const myFiles = mine.length ? mine.slice(0, 8).join(" ") : "<your files>";
  const what =
    op.kind === "switch"
      ? `refused ${op.text}: switching branches would carry or clobber another session's uncommitted work`
      : op.kind === "stash" || op.kind === "reset-hard"
        ? `refused ${op.text}: it would take away another session's uncommitted work`
        : `refused ${op.text}: it would include another session's uncommitted files`;
  const extra =
    op.kind === "stash"
      ? [`stash only your own files: git stash push -- ${myFiles}`]
      : op.kind === "reset-hard"
        ? [`undo only your own files: git restore -- ${myFiles}`]
        : op.kind === "switch"
          ? ["work on another branch in a worktree: coord wt new <name> (or git worktree add)"]
          : op.kind === "commit-staged"
            ? [`unstage their files: git restore --staged ${[...theirs].slice(0, 8).join(" ")}`, `then commit yours: git commit`]
            : [`stage only your own files: git add ${myFiles} && git commit`];
  return pendingCard(pending, what, me, now, extra);
}

