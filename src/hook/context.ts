// What every handler of a hook event needs, in one place: the world it runs in, the event's
// folder, the repository, the session's identity, the config and the claims. Each is read at most
// once per event, on first use.
import { isAbsolute, resolve } from "node:path";
import type { Bead } from "../core/claims";
import { type Contest, claimsWithRemote, liveContests, remoteLine } from "../core/sync";
import { identityOf } from "../core/identity";
import type { Me, PendingEdit, SessionRecord } from "../core/live";
import { locateBeads } from "../edges/bd";
import { budgetMs, type ConfigLoad, loadConfig } from "../edges/config";
import { doltRemote, readSyncRecord } from "../edges/dolt-sync";
import { pendingEdits } from "../edges/journal";
import { findRepoCached, type Repo, stateDir } from "../edges/repo";
import { readSession } from "../edges/sessions";
import { type ClaimsView, loadClaims } from "../edges/snapshot";
import type { HookEvent, Host } from "./hosts";

export interface World {
  env: Record<string, string | undefined>;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** The process's own folder. */
  cwd: string;
}

export interface Claims {
  /** In-progress beads; null when they could not be had at all. */
  beads: Bead[] | null;
  view: ClaimsView | null;
  /** Why claims were not checked, or were checked on an old view: for the model. */
  notes: string[];
  /** How fresh the view of other machines' claims is (core/sync remoteLine); null without a remote. */
  remote: string | null;
  /** Split brains coord sync found that still stand. */
  contests: Contest[];
}

export interface Ctx {
  w: World;
  ev: HookEvent;
  host: Host;
  /** The event's folder: its cwd when absolute, else the project folder, else the process's. */
  cwd: string;
  repoAt(path: string): Repo | null;
  /** The session record kept in `repo`'s state. */
  record(repo: Repo | null): SessionRecord | null;
  me(repo: Repo | null): Me;
  config(repo: Repo): ConfigLoad;
  idleMs(repo: Repo): number;
  claims(repo: Repo, all?: boolean): Promise<Claims>;
  /** Others' uncommitted edits among `files`: live sessions', and ended ones' that `claims` keep theirs. */
  othersPending(repo: Repo, files: readonly string[], claims?: readonly Bead[] | null): PendingEdit[];
}

export function eventCwd(ev: HookEvent, w: World): string {
  return ev.cwd && isAbsolute(ev.cwd) ? ev.cwd : w.env.CLAUDE_PROJECT_DIR || w.cwd;
}

/** The host's session id, else the one Claude Code exports to its hooks. */
export const sessionIdOf = (ev: HookEvent, w: World): string | null => ev.sessionId || w.env.CLAUDE_CODE_SESSION_ID || null;

export function makeCtx(ev: HookEvent, w: World, host: Host): Ctx {
  const memo = <K, V>(f: (k: K) => V) => {
    const m = new Map<K, V>();
    return (k: K): V => {
      if (!m.has(k)) m.set(k, f(k));
      return m.get(k) as V;
    };
  };
  const sessionId = sessionIdOf(ev, w);
  const record = memo((repo: Repo | null) => (repo && sessionId ? readSession(stateDir(repo), sessionId) : null));
  const config = memo((repo: Repo) => loadConfig(repo.root, false));
  const claimsOf = new Map<string, Promise<Claims>>();
  const ctx: Ctx = {
    w,
    ev,
    host,
    cwd: eventCwd(ev, w),
    repoAt: (p) => findRepoCached(p),
    record,
    me: (repo) => ({ sessionId, identity: identityOf({ beadsActor: w.env.BEADS_ACTOR, sessionId: sessionId ?? undefined, recorded: record(repo)?.identity, host: ev.host }) }),
    config,
    idleMs: (repo) => config(repo).config.settings.sessionIdleMinutes * 60_000,
    claims(repo, all = false) {
      const key = `${all}:${repo.root}`;
      let p = claimsOf.get(key);
      if (!p) claimsOf.set(key, (p = loadClaimsOf(repo, w, config(repo), all)));
      return p;
    },
    othersPending(repo, files, claims) {
      try {
        return pendingEdits({ state: stateDir(repo), root: repo.root, files, me: ctx.me(repo), now: w.now(), idleMs: ctx.idleMs(repo), env: w.env, abs: (f) => resolve(repo.root, f), claims: claims ?? [] });
      } catch {
        return [];
      }
    },
  };
  return ctx;
}

async function loadClaimsOf(repo: Repo, w: World, cfg: ConfigLoad, all: boolean): Promise<Claims> {
  const loc = locateBeads(repo, w.env);
  if (!loc) return { beads: null, view: null, notes: ["coord: no beads database in this repository; not checked against claims"], remote: null, contests: [] };
  const view = await loadClaims({
    stateDir: stateDir(repo),
    loc,
    cwd: repo.root,
    env: w.env,
    budgetMs: budgetMs(w.env, cfg.config.settings.refreshBudgetMs),
    now: w.now,
    sleep: w.sleep,
    all,
  });
  const local = view.snapshot ? (all ? view.snapshot.beads : view.snapshot.beads.filter((b) => b.status === "in_progress")) : null;
  // Other machines: two small file reads, and only with a Dolt remote.
  const remote = doltRemote(loc);
  const rec = remote.configured ? readSyncRecord(stateDir(repo)) : null;
  const beads = local && rec ? claimsWithRemote(local, rec, w.now()) : local;
  const contests = local && rec ? liveContests(rec.contests, local.filter((b) => b.status === "in_progress")) : [];
  return { beads, view, notes: view.note ? [view.note] : [], remote: remoteLine(remote, rec, w.now()), contests };
}
