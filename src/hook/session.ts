// SessionStart: give the session its identity (for bd inside its Bash commands) and the banner.
import { appendFileSync } from "node:fs";
import { renderBanner } from "../core/banner";
import { identityOf, successorOf } from "../core/identity";
import { type Outcome, allow, logOut } from "../core/outcome";
import { stateDir } from "../edges/repo";
import { listSessions, readSession, touchSession } from "../edges/sessions";
import { worktreeEnv } from "../core/wtenv";
import { repoPaths } from "../edges/files";
import { worktreeDbDir, worktreeFacts } from "../edges/worktree-env";
import type { Ctx } from "./context";

const shq = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;

/**
 * Lines for CLAUDE_ENV_FILE. bd 1.0.5 reads BD_ACTOR before BEADS_ACTOR and bd 1.3.0 the reverse
 * (both measured), so both are set alike.
 */
export function envFileLines(identity: string, sessionId: string, dbDir: string | null, worktree: readonly (readonly [string, string])[] = []): string {
  const vars: [string, string][] = [
    ["BD_ACTOR", identity],
    ["BEADS_ACTOR", identity],
    ["COORD_IDENTITY", identity],
    ["COORD_SESSION_ID", sessionId],
  ];
  if (dbDir) vars.push(["COORD_DB_DIR", dbDir]);
  // coord.toml's [worktree] variables come last: they are the repository's, and may use any name.
  vars.push(...worktree.map(([k, v]): [string, string] => [k, v]));
  return vars.map(([k, v]) => `export ${k}=${shq(v)}\n`).join("");
}

/**
 * The session an env file belongs to (`…/session-env/<id>/sessionstart-hook-<n>.sh`). With
 * `--resume <id> --fork-session`, SessionStart carries the old id; only this folder names the new
 * session, whose later events and Bash commands are the fork's.
 */
export function envFileSession(envFile: string | undefined): string | null {
  const m = envFile ? /\/session-env\/([A-Za-z0-9_-]+)\/[^/]+$/.exec(envFile) : null;
  return m?.[1] ?? null;
}

export async function sessionStart(ctx: Ctx): Promise<Outcome> {
  const { ev, w } = ctx;
  // A fork is a second worker beside the session it was forked from: it gets an identity of its own.
  // Claude Code 2.1.332 says so (source "fork", with the new id); 2.1.197 sends source "resume"
  // and the old id, and only the env file's folder names the new session.
  const sessionId = envFileSession(w.env.CLAUDE_ENV_FILE) || ev.sessionId || w.env.CLAUDE_CODE_SESSION_ID || "";
  const fork = ev.source === "fork";
  const cwd = ctx.cwd;
  const repo = ctx.repoAt(cwd);
  const state = repo ? stateDir(repo) : null;
  // After /clear the new session id carries on the work (and the claims) of the one that ended.
  const predecessor =
    repo && state && ev.source === "clear" && !w.env.BEADS_ACTOR ? successorOf(listSessions(state, w.now()), repo.root, sessionId, w.now()) : null;
  const record = state && sessionId ? readSession(state, sessionId) : null;
  const me = identityOf({ beadsActor: w.env.BEADS_ACTOR, sessionId, recorded: fork ? undefined : (predecessor?.identity ?? record?.identity), host: ev.host });
  if (!me) return logOut(["coord: SessionStart without a session id; no identity given"]);
  const notes: string[] = [];
  const dbDir = repo ? worktreeDbDir(repo) : null;
  const cfg = repo ? ctx.config(repo) : null;
  const table = cfg?.config.worktreeEnv ?? {};
  const wtVars = repo && Object.keys(table).length ? worktreeEnv(table, worktreeFacts(repo)) : [];
  if (w.env.CLAUDE_ENV_FILE) {
    try {
      appendFileSync(w.env.CLAUDE_ENV_FILE, envFileLines(me, sessionId, dbDir, wtVars));
    } catch (e) {
      notes.push(`coord: could not write CLAUDE_ENV_FILE (${(e as Error).message}); bd in this session will not know it is ${me}`);
    }
  }
  if (!repo || !state) return logOut([...notes, `coord: ${cwd} is not in a git repository; no claims to show`]);
  try {
    touchSession(state, { identity: me, sessionId, cwd, root: repo.root, inheritedFrom: predecessor?.sessionId ?? null }, w.now(), false, record);
  } catch (e) {
    notes.push(`coord: could not record this session (${(e as Error).message})`);
  }
  const config = ctx.config(repo); // memoized: the same load as above
  if (config.error) notes.push(`coord: ${config.error.split("\n")[0]}`);
  // Other machines' claims first, when bd has a Dolt remote (hook/sync.ts).
  const pulling = await (await import("./sync")).pullAtStart(ctx, repo);
  if (pulling) notes.push(pulling);
  const claims = await ctx.claims(repo, true);
  const note = claims.view ? (claims.notes[0] ?? null) : "no beads database here: run bd init, then coord init";
  // The file list names free work by folder; once per session, with a short leash.
  const files = config.config.zones.length ? repoPaths(repo.root, 1500) : null;
  const { contestLines } = await import("../core/sync");
  const banner = renderBanner({
    me,
    beads: claims.beads ?? [],
    zones: config.config.zones,
    now: w.now(),
    staleClaimHours: config.config.settings.staleClaimHours,
    note,
    dbDir,
    env: wtVars,
    files,
    actorFlag: ev.host === "codex" || ev.host === "gemini",
    remote: claims.remote,
    // Two contests at most in full (two lines each), the rest counted: the banner keeps 10 lines.
    splitBrain: contestLines(claims.contests, 2),
  });
  return allow([banner, ...notes]);
}
