// PreToolUse for the file-writing tools: locate, load claims, decide. Returns a value; the host
// encodes it.
import { resolve } from "node:path";
import { gateOnFreshness } from "../core/freshness";
import { type Outcome, allow, denyOut, strongest } from "../core/outcome";
import { relativeTo } from "../core/paths";
import { decide } from "../core/policy";
import { decisionOutcome, renderCard } from "../core/render";
import { realpathLoose } from "../edges/repo";
import { overlapNote, othersChanging } from "../wt/overlap";
import type { Ctx } from "./context";

const failClosed = (env: Record<string, string | undefined>) => env.COORD_FAIL_CLOSED === "1";

/** A repository path, or null for what coord does not guard (outside any repository, .git itself). */
export function guardedRel(root: string, abs: string): string | null {
  const rel = relativeTo(root, abs);
  return rel === null || rel === "" || rel === ".git" || rel.startsWith(".git/") ? null : rel;
}

/**
 * A file tool's one path, or every file a patch touches (Codex's apply_patch): each is checked, and
 * a refusal names each refused file, one card per file.
 */
export async function guardFileEdit(ctx: Ctx): Promise<Outcome> {
  const { ev } = ctx;
  if (ev.tool.kind === "patch" && ev.tool.paths.length === 0) {
    // A patch whose files coord cannot read could touch anything: refused, never waved through.
    const { parsePatch } = await import("../core/patch");
    return denyOut(
      renderCard({
        what: `refused ${ev.toolName}: coord cannot tell which files this patch touches`,
        why: parsePatch(ev.tool.patch ?? "").errors.slice(0, 3),
        whose: "unknown",
        next: ["write the patch as *** Begin Patch, *** Add File: / *** Update File: / *** Delete File: <path> lines, *** End Patch"],
      }),
    );
  }
  if (ev.tool.paths.length === 0) return allow([`coord: ${ev.toolName} without a file path; nothing checked`]);
  const outs: Outcome[] = [];
  for (const target of ev.tool.paths) outs.push(await guardPath(ctx, target));
  const out = strongest(...outs);
  const refused = outs.filter((o) => o.verdict === out.verdict && o.reason);
  return refused.length > 1 ? { ...out, reason: refused.map((o) => o.reason).join("\n\n") } : out;
}

async function guardPath(ctx: Ctx, target: string): Promise<Outcome> {
  const { ev, w } = ctx;

  const abs = realpathLoose(resolve(ctx.cwd, target));
  const repo = ctx.repoAt(abs);
  if (!repo) return allow();
  const rel = guardedRel(repo.root, abs);
  if (rel === null) return allow();

  const cfg = ctx.config(repo);
  const notes: string[] = cfg.error ? [`coord: ignoring zones: ${cfg.error.split("\n")[0]}`] : [];
  const me = ctx.me(repo);
  const claims = await ctx.claims(repo);
  const pending = ctx.othersPending(repo, [rel], claims.beads);
  notes.push(...claims.notes);
  if (claims.beads === null && claims.view && !pending.length && failClosed(w.env)) {
    // Claims unknown, and nobody's uncommitted edit to decide on either.
    const card = renderCard({
      what: `refused ${ev.toolName} of ${rel}`,
      why: ["coord cannot tell who has claimed this file, and COORD_FAIL_CLOSED=1 asks to refuse then", ...claims.notes],
      whose: "unknown",
      next: ["check the beads database: coord doctor", "or unset COORD_FAIL_CLOSED to let edits through when claims are unknown"],
    });
    return denyOut(card);
  }

  const decision = decide({ path: rel, me: me.identity, claims: claims.beads ?? [], zones: cfg.config.zones, pending });
  const wait = gateOnFreshness(claims.view, decision, `${ev.toolName} of ${rel}`, me.identity);
  if (wait) return denyOut(wait, notes);
  const out = strongest(decisionOutcome(decision, ev.toolName, w.now(), { why: claims.remote ? [claims.remote] : [] }), allow(notes));
  if (out.verdict === "deny" || out.verdict === "ask") return out;
  // Another worktree having changed this file is a warning on an allowed edit, never a refusal.
  try {
    const note = overlapNote(rel, await othersChanging(repo, rel, w.now()));
    return note ? strongest(out, allow([note])) : out;
  } catch {
    return out;
  }
}
