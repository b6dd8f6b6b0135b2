// The command line. Each command is a thin adapter: parse arguments, call the parts, print.
import { defineCommand, runMain } from "citty";
import { VERSION } from "../version";

const command = defineCommand({
  meta: { name: "coord", version: VERSION, description: "Guard rails for several Claude Code sessions on one git repository" },
  subCommands: {
    hook: () => import("./hook").then((m) => m.default),
    snapshot: () => import("./snapshot").then((m) => m.default),
    demo: () => import("./demo").then((m) => m.default),
    precommit: () => import("./precommit").then((m) => m.default),
    wt: () => import("./wt").then((m) => m.default),
    init: () => import("./init").then((m) => m.default),
    status: () => import("./status").then((m) => m.default),
    claim: () => import("./claim").then((m) => m.default),
    sync: () => import("./sync").then((m) => m.default),
    doctor: () => import("./doctor").then((m) => m.default),
    heartbeat: () => import("./heartbeat").then((m) => m.default),
  },
});

export async function main(argv: string[]): Promise<void> {
  await runMain(command, { rawArgs: argv });
}
