#!/usr/bin/env bun
// Plays the "zero lost changes" scenarios (test/e2e/zero-lost.scenarios.ts) with the real Claude
// Code CLI and the real bd, once without coord's hooks and once with them, and prints a table:
// scenario | changes lost without coord | with coord.
//   bun scripts/lost-changes.ts [substring of scenario names...]   (COORD_BIN picks the binary)
import { cleanupAll } from "../test/support/world";
import { haveClaude } from "../test/e2e/support";
import { type Row, SCENARIOS, lostCell, play, renderTable } from "../test/e2e/zero-lost.scenarios";

if (!haveClaude) {
  console.error("lost-changes: the Claude Code binary is not installed (run scripts/setup)");
  process.exit(1);
}
const filters = process.argv.slice(2);
const chosen = SCENARIOS.filter((s) => !filters.length || filters.some((f) => s.name.includes(f)));
const rows: Row[] = [];
let failures = 0;
for (const s of chosen) {
  const cell = async (withCoord: boolean) => {
    try {
      return lostCell(s, await play(s, withCoord));
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
console.log(renderTable(rows));
process.exit(failures ? 1 : 0);
