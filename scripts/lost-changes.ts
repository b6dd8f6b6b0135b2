#!/usr/bin/env bun
// Plays the "zero lost changes" scenarios (test/e2e/zero-lost.scenarios.ts) with the real Claude
// Code CLI and the real bd, once without coord's hooks and once with them, and prints a table:
// scenario | changes lost without coord | with coord.
//   bun scripts/lost-changes.ts [substring of scenario names...]   (COORD_BIN picks the binary)
import { cleanupAll } from "../test/support/world";
import { haveClaude } from "../test/e2e/support";
import { SCENARIOS, play } from "../test/e2e/zero-lost.scenarios";

if (!haveClaude) {
  console.error("lost-changes: the Claude Code binary is not installed (run scripts/setup)");
  process.exit(1);
}
const filters = process.argv.slice(2);
const chosen = SCENARIOS.filter((s) => !filters.length || filters.some((f) => s.name.includes(f)));
const rows: [string, string, string][] = [];
let failures = 0;
for (const s of chosen) {
  const cell = async (withCoord: boolean) => {
    try {
      const o = await play(s, withCoord);
      return `${o.lost} of ${o.changes}${s.sweep && o.lost ? " (swept into B's commit)" : ""}`;
    } catch (e) {
      failures++;
      return `error: ${(e as Error).message.split("\n")[0]}`;
    }
  };
  const without = await cell(false);
  const withCoord = await cell(true);
  rows.push([s.name, without, withCoord]);
  console.error(`${s.name}: without ${without}, with ${withCoord}`);
  cleanupAll();
}
const head: [string, string, string] = ["scenario", "changes lost without coord", "with coord"];
const w = [0, 1, 2].map((i) => Math.max(head[i as 0].length, ...rows.map((r) => r[i as 0].length)));
const line = (r: [string, string, string]) => `| ${r.map((c, i) => c.padEnd(w[i] as number)).join(" | ")} |`;
console.log([line(head), `|${w.map((n) => "-".repeat(n + 2)).join("|")}|`, ...rows.map(line)].join("\n"));
process.exit(failures ? 1 : 0);
