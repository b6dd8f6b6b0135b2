// PreToolUse for the file-writing tools: locate, load claims, decide, render.
import { isAbsolute, resolve } from "node:path";
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

export interface GuardOutcome {
  result: HookResult;
  decision: Decision | null;
}

const failClosed = (env: Record<string, string | undefined>) => env.COORD_FAIL_CLOSED === "1";

export async function guardFileEdit(input: HookInput, w: World): Promise<GuardOutcome> {
  const key = FILE_TOOLS[input.toolName];
  if (!key) return { result: silent(), decision: null };
  const target = input.toolInput[key];
  if (typeof target !== "string" || !target.trim())
    return { result: silent([`coord: ${input.toolName} without a ${key}; nothing checked`]), decision: null };

  const base = input.cwd && isAbsolute(input.cwd) ? input.cwd : w.cwd;
  const abs = realpathLoose(resolve(base, target));
  const repo = findRepoCached(abs);
  if (!repo) return { result: silent(), decision: null };
  const rel = relativeTo(repo.root, abs);
  if (rel === null || rel === "" || rel === ".git" || rel.startsWith(".git/")) return { result: silent(), decision: null };

  const cfg = loadConfig(repo.root);
  const notes: string[] = cfg.error ? [`coord: ignoring zones: ${cfg.error.split("\n")[0]}`] : [];
  const pending = othersPending(repo, [rel], input, w, cfg.config.settings.sessionIdleMinutes * 60_000);
  const loc = locateBeads(repo, w.env);
  if (!loc) {
    notes.push("coord: no beads database in this repository; edit not checked against claims");
    return { result: await withOverlapWarning(finish(decide({ path: rel, me: null, claims: [], zones: cfg.config.zones, pending }), input.toolName, w, notes), repo, rel, w.now()), decision: null };
  }

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
  if (!view.snapshot) {
    if (pending.length) return { result: finish(decide({ path: rel, me: null, claims: [], zones: cfg.config.zones, pending }), input.toolName, w, notes), decision: null };
    if (failClosed(w.env)) {
      const card = renderCard({
        what: `refused ${input.toolName} of ${rel}`,
        why: ["coord cannot tell who has claimed this file, and COORD_FAIL_CLOSED=1 asks to refuse then", view.note ?? ""],
        whose: "unknown",
        next: ["check the beads database: coord doctor", "or unset COORD_FAIL_CLOSED to let edits through when claims are unknown"],
      });
      return { result: deny(card, notes), decision: null };
    }
    return { result: silent(notes), decision: null };
  }

  const me = meOf(input, w, repo).identity;
  const claims = view.snapshot.beads.filter((b) => b.status === "in_progress");
  const decision = decide({ path: rel, me, claims, zones: cfg.config.zones, pending });
  // Another worktree having changed this file is a warning on an allowed edit, never a refusal.
  return { result: await withOverlapWarning(finish(decision, input.toolName, w, notes), repo, rel, w.now()), decision };
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
