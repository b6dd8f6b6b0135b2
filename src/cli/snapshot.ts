import { defineCommand } from "citty";
import { consola } from "consola";
import { snapshotPath } from "../edges/snapshot";
import { claimsOf, fail, repoContext } from "./context";

export default defineCommand({
  meta: { name: "snapshot", description: "Show the claims snapshot the hook decides on; --refresh asks bd again" },
  args: {
    refresh: { type: "boolean", description: "ignore the snapshot and run bd list now" },
    json: { type: "boolean", description: "print the snapshot as JSON" },
  },
  async run({ args }) {
    const ctx = repoContext();
    if (!ctx.loc) fail("no beads database in this repository: run bd init");
    const view = await claimsOf(ctx, { force: !!args.refresh, patientMs: args.refresh ? 30_000 : 0 });
    if (!view.snapshot) fail(view.note ?? "no snapshot");
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ freshness: view.freshness, note: view.note, ...view.snapshot }, null, 2)}\n`);
      return;
    }
    const s = view.snapshot;
    const claims = s.beads.filter((b) => b.status === "in_progress");
    consola.log(`snapshot ${snapshotPath(ctx.state)}`);
    consola.log(`  ${view.freshness}, taken ${new Date(s.takenAt).toISOString()}, ${s.beads.length} open beads, ${claims.length} in progress`);
    if (view.note) consola.warn(view.note);
  },
});
