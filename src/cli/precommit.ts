// `coord precommit`: run by the git pre-commit hook (coord init --git-hooks). Refuses a commit whose
// staged files are claimed by another session or were last edited by another live session.
import { resolve } from "node:path";
import { defineCommand } from "citty";
import type { Bead } from "../core/claims";
import { identityOf, shellSession } from "../core/identity";
import type { StatusEntry } from "../core/live";
import { gateOnFreshness } from "../core/freshness";
import { denyOut, strongest, unaskable } from "../core/outcome";
import { decide } from "../core/policy";
import { decisionOutcome } from "../core/render";
import { locateBeads } from "../edges/bd";
import { budgetMs, loadConfig } from "../edges/config";
import { pendingEdits } from "../edges/journal";
import { runSync } from "../edges/proc";
import { findRepo, stateDir } from "../edges/repo";
import { type ClaimsView, loadClaims } from "../edges/snapshot";

/** Who is committing: the session's identity when a session runs git, else git's user.name. */
export function committer(env: Record<string, string | undefined>, root: string): { identity: string | null; sessionId: string | null } {
  const session = shellSession(env);
  const sessionId = env.COORD_SESSION_ID || session?.sessionId || null;
  let identity = env.COORD_IDENTITY || env.BEADS_ACTOR || env.BD_ACTOR || identityOf({ sessionId: sessionId ?? undefined, host: session?.host }) || null;
  if (!identity) {
    const r = runSync(["git", "config", "user.name"], { cwd: root, env, timeoutMs: 5000 });
    identity = r.code === 0 && r.stdout.trim() ? r.stdout.trim() : null;
  }
  return { identity, sessionId };
}

const BYPASS = "bypass deliberately: git commit --no-verify (or COORD_SKIP=1 git commit ...)";

export async function precommit(env: Record<string, string | undefined>, cwd: string, out: (s: string) => void): Promise<number> {
  if (env.COORD_SKIP === "1") return 0;
  const repo = findRepo(cwd);
  if (!repo) return 0;
  // The index the commit is built from (git sets GIT_INDEX_FILE for the hook).
  const staged = runSync(["git", "diff", "--cached", "--name-only", "-z", "--no-renames"], { cwd: repo.root, env, timeoutMs: 10_000 });
  if (staged.code !== 0) {
    out(`coord: could not list the staged files (${staged.stderr.trim().split("\n")[0]}); commit not checked`);
    return 0;
  }
  const files = staged.stdout.split("\0").filter(Boolean);
  if (!files.length) return 0;
  const me = committer(env, repo.root);
  const cfg = loadConfig(repo.root);
  const state = stateDir(repo);
  const now = Date.now();
  let claims: Bead[] = [];
  let view: ClaimsView | null = null;
  const loc = locateBeads(repo, env);
  if (loc) {
    view = await loadClaims({ stateDir: state, loc, cwd: repo.root, env, budgetMs: budgetMs(env, cfg.config.settings.refreshBudgetMs), now: Date.now, sleep: (ms) => Bun.sleep(ms) });
    if (view.note) out(view.note);
    claims = (view.snapshot?.beads ?? []).filter((b) => b.status === "in_progress");
  }
  // Staged files are uncommitted by definition: the staged list stands in for git status.
  const status: StatusEntry[] = files.map((path) => ({ x: "M", y: " ", path }));
  const pending = pendingEdits({ state, root: repo.root, files, me, now, idleMs: cfg.config.settings.sessionIdleMinutes * 60_000, env, abs: (f) => resolve(repo.root, f), status });
  const outcomes = files.map((file) => {
    const decision = decide({ path: file, me: me.identity, claims, zones: cfg.config.zones, pending: pending.filter((p) => p.file === file) });
    // Stale claims after a database change decide a commit as they decide an edit (core/freshness).
    const wait = gateOnFreshness(view, decision, `commit of ${file}`, me.identity, { retry: "the commit", after: [BYPASS] });
    if (wait) return denyOut(wait);
    return decisionOutcome(decision, "commit", now, {
      before: [`unstage it: git restore --staged ${file}`],
      after: [BYPASS],
    });
  });
  // Nobody can answer a question from a git hook: a stable-zone file is a note.
  const all = strongest(...outcomes.map(unaskable));
  for (const line of all.context) out(line);
  if (all.verdict !== "deny") return 0;
  const refused = outcomes.filter((o) => o.verdict === "deny").map((o) => o.reason ?? "");
  out(refused.slice(0, 3).join("\n\n"));
  if (refused.length > 3) out(`coord: and ${refused.length - 3} more staged files refused`);
  return 1;
}

export default defineCommand({
  meta: { name: "precommit", description: "Run by the git pre-commit hook (coord init --git-hooks): refuse staged files claimed or being edited by another session" },
  async run() {
    const code = await precommit(process.env as Record<string, string | undefined>, process.cwd(), (s) => process.stderr.write(`${s}\n`));
    process.exit(code);
  },
});
