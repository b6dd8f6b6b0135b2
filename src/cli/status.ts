// `coord status`: who works on what, for a person at a terminal or a script (--json).
import { defineCommand } from "citty";
import { COLOR, PLAIN, renderStatus, statusModel } from "../core/status";
import { repoPaths } from "../edges/files";
import { listSessions } from "../edges/sessions";
import { hasLinkedWorktrees } from "../edges/repo";
import { liveContests, remoteLine } from "../core/sync";
import { doltRemote, readSyncRecord } from "../edges/dolt-sync";
import { claimsOf, repoContext, shellIdentity } from "./context";

export function useColor(env: Record<string, string | undefined>, isTTY: boolean | undefined): boolean {
  return !!isTTY && env.NO_COLOR === undefined && env.TERM !== "dumb";
}

export default defineCommand({
  meta: { name: "status", description: "Claims by owner, zones, sessions and stale claims (--json: schema coord.status/1)" },
  args: { json: { type: "boolean", description: "print the coord.status/1 JSON document (docs/status-schema.md)" } },
  async run({ args }) {
    const ctx = repoContext();
    // The snapshot is read as the hook reads it: bd runs only when the database changed since.
    const view = await claimsOf(ctx);
    const now = Date.now();
    const s = ctx.cfg.config.settings;
    const remote = ctx.loc ? doltRemote(ctx.loc) : ({ configured: false } as const);
    const rec = remote.configured ? readSyncRecord(ctx.state) : null;
    const claimed = (view.snapshot?.beads ?? []).filter((b) => b.status === "in_progress");
    const model = statusModel({
      repo: ctx.repo.root,
      me: shellIdentity(ctx.env),
      beads: view.snapshot?.beads ?? [],
      zones: ctx.cfg.config.zones,
      sessions: listSessions(ctx.state, now),
      now,
      staleClaimHours: s.staleClaimHours,
      sessionIdleMinutes: s.sessionIdleMinutes,
      claims: { freshness: view.freshness, takenAt: view.snapshot?.takenAt ?? null, note: view.note },
      configError: ctx.cfg.error,
      readyTotal: view.snapshot?.readyTotal ?? 0,
      remote: {
        configured: remote.configured,
        line: remoteLine(remote, rec, now),
        lastGoodPull: rec?.lastGoodPull ?? null,
        remoteAhead: rec?.remoteAhead ?? false,
        contests: rec ? liveContests(rec.contests, claimed) : [],
      },
      // The file list names free work by folder (one git ls-files), which only zones ask for.
      files: ctx.cfg.config.zones.length ? repoPaths(ctx.repo.root) : null,
      // Prediction costs git processes: only when there is a second checkout to compare with.
      worktreeOverlaps: hasLinkedWorktrees(ctx.repo) ? (await (await import("../wt/predict")).predictConflicts(ctx.repo)).pairs : [],
    });
    if (args.json) process.stdout.write(`${JSON.stringify(model, null, 2)}\n`);
    else process.stdout.write(`${renderStatus(model, now, useColor(ctx.env, process.stdout.isTTY) ? COLOR : PLAIN)}\n`);
  },
});
