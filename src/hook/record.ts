// What every hook event records: the session's heartbeat, the files its tools wrote (PostToolUse),
// its end (SessionEnd). Recording never blocks a tool: failures become notes.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { RENEW_EVERY_MS, lostClaims, lostClaimsNote } from "../core/lease";
import { type Outcome, allow, logOut } from "../core/outcome";
import { locateBeads } from "../edges/bd";
import { readSnapshot, refreshSoon } from "../edges/snapshot";
import { compactJournal, hashFile, recordEdit } from "../edges/journal";
import { realpathLoose, type Repo, stateDir } from "../edges/repo";
import { pruneLeases, readLease, renewLeasesIfDue, writeLease } from "../edges/lease";
import { touchSession } from "../edges/sessions";
import type { Ctx } from "./context";
import { guardedRel } from "./guard";

/** The heartbeat: every event marks its session seen. One small atomic write. */
export function touchEvent(ctx: Ctx, ended: false | { reason: string } = false): string | null {
  const repo = ctx.repoAt(ctx.cwd);
  if (!repo) return null;
  const me = ctx.me(repo);
  if (!me.sessionId || !me.identity) return null;
  try {
    touchSession(stateDir(repo), { identity: me.identity, sessionId: me.sessionId, cwd: ctx.cwd, root: repo.root }, ctx.w.now(), ended, ctx.record(repo));
    return null;
  } catch (e) {
    return `coord: could not record this session (${(e as Error).message})`;
  }
}

/**
 * Leases (bd 1.3.0), after the event's own work: tell the session about claims it lost while it
 * was away (reclaimed after its lease ran out), and start a detached renewal of its leases when
 * one is due. Reads the snapshot as it stands, never bd: nothing here waits for bd.
 */
export async function leaseDuties(ctx: Ctx): Promise<Outcome> {
  const repo = ctx.repoAt(ctx.cwd);
  if (!repo) return allow();
  const me = ctx.me(repo);
  if (!me.sessionId || !me.identity) return allow();
  const state = stateDir(repo);
  try {
    const rec = readLease(state, me.sessionId);
    const now = ctx.w.now();
    const due = !rec || now - rec.startedAt >= RENEW_EVERY_MS;
    if (!due && !rec?.held.length) return allow();
    const snap = readSnapshot(state);
    if (!snap) return allow();
    const context: string[] = [];
    // Judged only on a snapshot at least as new as the one the claims were seen held in.
    if (rec?.held.length && snap.takenAt >= rec.heldAsOf) {
      const mineNow = new Set(snap.beads.filter((b) => b.assignee === me.identity).map((b) => b.id));
      const gone = rec.held.filter((id) => !mineNow.has(id));
      if (gone.length) {
        // What became of them is in the list of every open bead, read at the claims' state (the
        // companion when it is as current, else loaded like the banner's; rare: a claim was lost).
        const current = readSnapshot(state, true);
        const every = current && current.key === snap.key ? current.beads : ((await ctx.claims(repo, true)).beads ?? null);
        if (every) {
          const note = lostClaimsNote(lostClaims(gone, every, me.identity));
          if (note) context.push(note);
          writeLease(state, { ...rec, held: rec.held.filter((id) => mineNow.has(id)) });
        }
      }
    }
    // Not while a claims refresh is under way: a heartbeat writes the journal, so the refresh's
    // answer would be out of date on arrival and every session would pay another bd list. The
    // next event renews instead (the lease runs 5 minutes; renewals come every 90 s).
    const refreshing = existsSync(join(state, "refresh.lock"));
    if (due && !refreshing && locateBeads(repo, ctx.w.env)) renewLeasesIfDue({ stateDir: state, sessionId: me.sessionId, identity: me.identity, claims: snap.beads, cwd: repo.root, env: ctx.w.env, now });
    return allow(context);
  } catch (e) {
    return logOut([`coord: could not look after this session's claim leases (${(e as Error).message})`]);
  }
}

function record(ctx: Ctx, repo: Repo, abs: string): void {
  const rel = guardedRel(repo.root, abs);
  if (rel === null) return;
  const me = ctx.me(repo);
  recordEdit(stateDir(repo), { root: repo.root, file: rel, sessionId: me.sessionId ?? "", identity: me.identity ?? "", at: ctx.w.now(), sha256: hashFile(abs) });
}

/**
 * PostToolUse (and PostToolUseFailure: a Bash command that exits non-zero may have written before
 * it failed, `echo x > f && false`): the tool ran, so its files now hold this session's uncommitted work.
 */
export async function postToolUse(ctx: Ctx): Promise<Outcome> {
  const { ev } = ctx;
  const me = ctx.me(ctx.repoAt(ctx.cwd));
  if (!me.sessionId || !me.identity) return allow();
  try {
    if (ev.tool.kind === "file" || ev.tool.kind === "patch") {
      for (const target of ev.tool.paths) {
        const abs = realpathLoose(resolve(ctx.cwd, target));
        const repo = ctx.repoAt(abs);
        if (repo) record(ctx, repo, abs);
      }
      return allow();
    }
    if (ev.tool.kind === "shell" && ev.tool.command) {
      const { analyze } = await import("../core/bash");
      const { globRoots, resolveTargets } = await import("./bash");
      const a = analyze(ev.tool.command);
      const targets = a.targets.filter((t) => !t.via.startsWith("git ") && !t.via.endsWith("(source)"));
      // Each written file is journaled in the checkout it landed in (a worktree's are its own).
      for (const t of resolveTargets(targets, ctx.cwd, ctx.repoAt, await globRoots(ctx.repoAt(ctx.cwd), targets))) {
        if (!t.isDir && t.exists) record(ctx, t.repo, t.abs);
      }
      // The command may have written the beads database (bd update --claim, a script): the claims
      // are brought up to date now, in the background, rather than by the next edit's check.
      const repo = ctx.repoAt(ctx.cwd);
      if (!repo) return allow();
      const loc = locateBeads(repo, ctx.w.env);
      if (loc) refreshSoon({ stateDir: stateDir(repo), loc, cwd: repo.root, env: ctx.w.env, now: ctx.w.now });
      // A claim made with plain bd reaches other machines without the session waiting for it.
      const pushNote = (await import("./sync")).pushAfterBdWrite(ctx, repo, ev.tool.command);
      if (pushNote) return allow([pushNote]);
    }
    return allow();
  } catch (e) {
    return logOut([`coord: could not record this edit (${(e as Error).message})`]);
  }
}

/** SessionEnd: the session's edits stop counting unless a claim of its identity keeps them; the rest are compacted away. */
export function sessionEnd(ctx: Ctx): Outcome {
  const reason = typeof ctx.ev.raw.reason === "string" && ctx.ev.raw.reason ? ctx.ev.raw.reason : "other";
  const note = touchEvent(ctx, { reason });
  const repo = ctx.repoAt(ctx.cwd);
  if (repo) {
    try {
      // The snapshot as it is (no bd call at SessionEnd): an ended owner's claimed work is kept.
      const claims = locateBeads(repo, ctx.w.env) ? (readSnapshot(stateDir(repo))?.beads ?? null) : [];
      compactJournal(stateDir(repo), ctx.w.now(), ctx.idleMs(repo), claims);
      pruneLeases(stateDir(repo), ctx.w.now());
    } catch {
      // Compaction is housekeeping: the next SessionEnd tries again.
    }
  }
  return logOut(note ? [note] : []);
}
