// What most commands need first: the repository, its config, its beads database, its claims.
import { identityOf, shellSession } from "../core/identity";
import { type Card, renderCard } from "../core/render";
import { type BeadsLocation, locateBeads } from "../edges/bd";
import { pendingMigration } from "../edges/bdinfo";
import { budgetMs, type ConfigLoad, loadConfig } from "../edges/config";
import { findRepo, type Repo, stateDir } from "../edges/repo";
import { type ClaimsView, loadClaims } from "../edges/snapshot";

export interface RepoContext {
  repo: Repo;
  cfg: ConfigLoad;
  loc: BeadsLocation | null;
  state: string;
  env: Record<string, string | undefined>;
}

export function fail(message: string, code = 1): never {
  // Plain text, not consola: this module is on the path of coord status, which must start as
  // fast as a hook, and consola costs a few milliseconds to load.
  process.stderr.write(`coord: ${message}\n`);
  process.exit(code);
}

/** Prints a refusal card on stderr and exits: the way every command refuses. */
export function refuse(card: Card, code = 1): never {
  process.stderr.write(`${renderCard(card)}\n`);
  process.exit(code);
}

export function repoContext(cwd = process.cwd()): RepoContext {
  const repo = findRepo(cwd);
  if (!repo) fail(`${cwd} is not inside a git repository`);
  const env = process.env as Record<string, string | undefined>;
  return { repo, cfg: loadConfig(repo.root), loc: locateBeads(repo, env), state: stateDir(repo), env };
}

/** A migration measured 3.3 s (bd 1.0.5 → 1.3.0); a command gives bd this long to finish one. */
const MIGRATION_BUDGET_MS = 120_000;

/** The claims; `patientMs` waits that long for bd instead of the hook's budget, `force` asks bd even when the snapshot is fresh. */
export async function claimsOf(ctx: RepoContext, o: { force?: boolean; patientMs?: number } = {}): Promise<ClaimsView> {
  if (!ctx.loc) return { freshness: "none", pending: false, reason: "no beads database", snapshot: null, note: "no beads database in this repository (bd init)" };
  // A command can wait for bd's one-time migration where a hook cannot; killing bd midway would
  // only make the next caller start it again.
  const migration = await pendingMigration(ctx.loc, ctx.env, ctx.state, ctx.repo.root);
  if (migration) process.stderr.write(`coord: bd ${migration.to} migrates this beads database from bd ${migration.from}'s format first (once, a few seconds)\n`);
  return loadClaims({
    stateDir: ctx.state,
    loc: ctx.loc,
    cwd: ctx.repo.root,
    env: ctx.env,
    budgetMs: Math.max(budgetMs(ctx.env, ctx.cfg.config.settings.refreshBudgetMs), o.patientMs ?? 0, migration ? MIGRATION_BUDGET_MS : 0),
    now: Date.now,
    sleep: (ms) => Bun.sleep(ms),
    force: o.force ?? false,
    all: true,
  });
}

/** The identity a hook would give a session started from this shell. */
export function shellIdentity(env: Record<string, string | undefined>): string | null {
  const session = shellSession(env);
  return env.COORD_IDENTITY || identityOf({ beadsActor: env.BEADS_ACTOR ?? env.BD_ACTOR, sessionId: session?.sessionId, host: session?.host });
}
