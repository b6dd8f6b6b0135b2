// `coord heartbeat`: renew one session's claim leases (bd 1.3.0). The hook starts it detached, at
// most once per 90 s per session; run by hand it prints what it did.
import { defineCommand } from "citty";
import { renewLeases } from "../edges/lease";
import { fail, repoContext } from "./context";

export default defineCommand({
  meta: { name: "heartbeat", description: "(started by the hook) renew the leases of a session's claims with bd heartbeat" },
  args: {
    session: { type: "string", description: "the Claude Code session id", required: true },
    identity: { type: "string", description: "the session's bd identity (the claims' assignee)", required: true },
  },
  async run({ args }) {
    const ctx = repoContext();
    if (!ctx.loc) fail("no beads database in this repository");
    const r = await renewLeases({ stateDir: ctx.state, loc: ctx.loc, sessionId: args.session, identity: args.identity, cwd: ctx.repo.root, env: ctx.env, now: Date.now });
    const lines = [
      `renewed: ${r.renewed.join(" ") || "none"}`,
      ...r.refused.map((x) => `refused: ${x.id}: ${x.reason}`),
      `snapshot ${r.rekeyed ? "kept fresh across the heartbeats" : "left for the next hook to refresh"}`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  },
});
