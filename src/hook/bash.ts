// PreToolUse on Bash: what the command would write or sweep away, judged by the same policy as a
// Write. The command is parsed, never run; what cannot be followed runs, and the model is told.
import { existsSync, statSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { analyze, type GitOp, type Target } from "../core/bash";
import { isLive, isMine, isStaged, isTrackedChange, isUntracked, type PendingEdit, type StatusEntry, underPath } from "../core/live";
import { gateOnFreshness } from "../core/freshness";
import { patternsOverlap } from "../core/match";
import { type Outcome, allow, denyOut, strongest } from "../core/outcome";
import { relativeTo } from "../core/paths";
import { decide, sweptWork } from "../core/policy";
import { type Card, decisionOutcome, pendingCard, renderCard } from "../core/render";
import { gitStatus, pendingEdits, writtenByMe } from "../edges/journal";
import { realpathLoose, type Repo, stateDir } from "../edges/repo";
import { listSessions } from "../edges/sessions";
import { guardBd } from "./bdguard";
import type { Ctx } from "./context";

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

function cannotFollow(unknown: string[]): string[] {
  if (!unknown.length) return [];
  return [`coord: not checked: ${unknown[0]}${unknown.length > 1 ? ` (and ${unknown.length - 1} more)` : ""}; the command runs unchecked there`];
}

export async function guardBash(ctx: Ctx): Promise<Outcome> {
  const command = ctx.ev.tool.command;
  if (!command?.trim()) return allow();
  const claimsOutcome = await guardBd(ctx, command);
  if (claimsOutcome?.verdict === "deny") return claimsOutcome;
  const writes = await guardWrites(ctx, command);
  return claimsOutcome ? strongest(claimsOutcome, writes) : writes;
}

async function guardWrites(ctx: Ctx, command: string): Promise<Outcome> {
  const a = analyze(command);
  const notes = cannotFollow(a.unknown);
  if (!a.targets.length && !a.git.length) return allow(notes);
  const base = ctx.cwd;
  const repo = ctx.repoAt(base);
  if (!repo) return allow(notes);
  const state = stateDir(repo);
  const cfg = ctx.config(repo);
  const idleMs = ctx.idleMs(repo);
  const me = ctx.me(repo);
  const now = ctx.w.now();
  const env = ctx.w.env;

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

  // Another live session in this checkout, or another identity's claim (its session may be gone),
  // is what puts uncommitted work at risk; without either, no journal lookups and no git process.
  const claims = ops.length || resolved.length ? await ctx.claims(repo) : null;
  if (claims) notes.push(...claims.notes);
  const beads = claims?.beads ?? [];
  const othersLive = listSessions(state, now).some((s) => s.root === repo.root && !isMine(s, me) && isLive(s, now, idleMs));
  const atRisk = othersLive || beads.some((b) => b.assignee !== "" && b.assignee !== me.identity);
  const needStatus = atRisk && (ops.length > 0 || resolved.some((r) => r.isDir));
  const status: StatusEntry[] | null = needStatus ? gitStatus(repo.root, [], env) : null;
  const pendingOf = (files: string[]): PendingEdit[] =>
    atRisk && files.length
      ? pendingEdits({ state, root: repo.root, files, me, now, idleMs, env, abs: (f) => resolve(repo.root, f), claims: beads, ...(status ? { status } : {}) })
      : [];
  const workOf = (scope: StatusEntry[]): PendingEdit[] => {
    const files = scope.flatMap((e) => (e.from ? [e.path, e.from] : [e.path]));
    return sweptWork({ scope, recorded: pendingOf(files), mine: writtenByMe(state, repo.root, files, me), claims: beads, me });
  };

  // 1. Git commands that sweep or destroy the whole checkout (or a pathspec of it).
  for (const op of ops) {
    if (!atRisk || !status) continue;
    const card = gitOpCard(op, status, workOf, repo, base, me.identity, now);
    if (card) return denyOut(renderCard(card), notes);
  }

  // 2. Each written path, through the same decide() as a Write.
  if (!resolved.length) return allow(notes);
  const outcomes: Outcome[] = [allow(notes)];
  for (const r of resolved) {
    let paths = [r.rel];
    if (r.isDir) {
      // A folder covers the claims and the uncommitted files below it.
      const under = (status ?? []).filter((e) => underPath(e.path, r.rel) && (!r.untrackedOnly || isUntracked(e))).map((e) => e.path);
      const claimed = beads.flatMap((b) => b.files.filter((f) => patternsOverlap(r.rel === "" ? "**" : `${r.rel}/`, f)));
      paths = [...new Set([...under, ...claimed])];
      if (!paths.length) continue;
    }
    const pending = pendingOf(paths);
    for (const p of paths) {
      const d = decide({ path: p, me: me.identity, claims: beads, zones: cfg.config.zones, pending: pending.filter((x) => x.file === p) });
      const wait = gateOnFreshness(claims?.view ?? null, d, `Bash (${r.via}) of ${p}`, me.identity);
      outcomes.push(wait ? denyOut(wait) : decisionOutcome(d, `Bash (${r.via})`, now, { why: claims?.remote ? [claims.remote] : [] }));
    }
  }
  return strongest(...outcomes);
}

function pathspecRel(spec: string, opCwd: string | null, base: string, repo: Repo): string | null {
  if (spec === ":/" || spec.startsWith(":/")) return spec.slice(2).replace(/^\/+/, "");
  const rel = relativeTo(repo.root, realpathLoose(resolve(base, opCwd ?? ".", spec)));
  return rel;
}

function gitOpCard(
  op: GitOp,
  status: StatusEntry[],
  workOf: (scope: StatusEntry[]) => PendingEdit[],
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
  const pending = workOf(scope);
  if (!pending.length) return null;
  const theirs = new Set(pending.map((p) => p.file));
  const mine = scope.filter((e) => !theirs.has(e.path)).map((e) => e.path);
  const myFiles = mine.length ? mine.slice(0, 8).join(" ") : "<your files>";
  const what =
    op.kind === "switch"
      ? `refused ${op.text}: switching branches would carry or clobber another session's uncommitted work`
      : op.kind === "stash" || op.kind === "reset-hard"
        ? `refused ${op.text}: it would take away another's uncommitted work`
        : `refused ${op.text}: it would include another's uncommitted files`;
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

