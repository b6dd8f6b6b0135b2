// PreToolUse for the file-writing tools: locate, load claims, decide, render.
import { isAbsolute, resolve } from "node:path";
import type { Bead } from "../core/claims";
import { relativeTo } from "../core/paths";
import { type Decision, decide } from "../core/policy";
import { decisionCard, decisionNote, renderCard } from "../core/render";
import { locateBeads } from "../edges/bd";
import { budgetMs, loadConfig } from "../edges/config";
import { findRepoCached, realpathLoose, stateDir } from "../edges/repo";
import { loadClaims } from "../edges/snapshot";
import { withOverlapWarning } from "../wt/overlap";
import { type HookInput, type HookResult, FILE_TOOLS, ask, deny, silent, warn } from "./protocol";
import { meOf, othersPending } from "./record";

export interface World {
  env: Record<string, string | undefined>;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** The process's own folder, used when the event has no cwd. */
  cwd: string;
}

const failClosed = (env: Record<string, string | undefined>) => env.COORD_FAIL_CLOSED === "1";

export async function guardFileEdit(input: HookInput, w: World): Promise<HookResult> {
  const key = FILE_TOOLS[input.toolName];
  if (!key) return silent();
  const target = input.toolInput[key];
  if (typeof target !== "string" || !target.trim())
    return silent([`coord: ${input.toolName} without a ${key}; nothing checked`]);

  const base = input.cwd && isAbsolute(input.cwd) ? input.cwd : w.cwd;
  const abs = realpathLoose(resolve(base, target));
  const repo = findRepoCached(abs);
  if (!repo) return silent();
  const rel = relativeTo(repo.root, abs);
  if (rel === null || rel === "" || rel === ".git" || rel.startsWith(".git/")) return silent();

  const cfg = loadConfig(repo.root);
  const notes: string[] = cfg.error ? [`coord: ignoring zones: ${cfg.error.split("\n")[0]}`] : [];
  const me = meOf(input, w, repo);
  const pending = othersPending(repo, [rel], me, w, cfg.config.settings.sessionIdleMinutes * 60_000);
  let claims: Bead[] = [];
  const loc = locateBeads(repo, w.env);
  if (!loc) notes.push("coord: no beads database in this repository; edit not checked against claims");
  else {
    const view = await loadClaims({
      stateDir: stateDir(repo),
      loc,
      cwd: repo.root,
      env: w.env,
      budgetMs: budgetMs(w.env, cfg.config.settings.refreshBudgetMs),
      now: w.now,
      sleep: w.sleep,
    });
    if (view.note) notes.push(view.note);
    if (view.snapshot) claims = view.snapshot.beads.filter((b) => b.status === "in_progress");
    else if (!pending.length) {
      // Claims unknown, and nobody's uncommitted edit to decide on either.
      if (!failClosed(w.env)) return silent(notes);
      const card = renderCard({
        what: `refused ${input.toolName} of ${rel}`,
        why: ["coord cannot tell who has claimed this file, and COORD_FAIL_CLOSED=1 asks to refuse then", view.note ?? ""],
        whose: "unknown",
        next: ["check the beads database: coord doctor", "or unset COORD_FAIL_CLOSED to let edits through when claims are unknown"],
      });
      return deny(card, notes);
    }
  }

  const decision = decide({ path: rel, me: me.identity, claims, zones: cfg.config.zones, pending });
  // Another worktree having changed this file is a warning on an allowed edit, never a refusal.
  return withOverlapWarning(finish(decision, input.toolName, w, notes), repo, rel, w.now());
}

function finish(d: Decision, tool: string, w: World, notes: string[]): HookResult {
  const card = decisionCard(d, tool, w.now());
  if (d.verdict === "deny" && card) return deny(renderCard(card), notes);
  const note = decisionNote(d);
  // Claude Code treats "ask" as "deny" in non-interactive (-p / SDK) sessions, so the stable
  // zone only asks a person who can answer.
  if (d.verdict === "ask" && note && w.env.CLAUDE_CODE_ENTRYPOINT === "cli") return ask(note, notes);
  if (note) return { ...warn(note), stderr: [...notes, note] };
  return silent(notes);
}
