// Zero lost changes: each scenario has session B try to destroy or sweep up session A's (and C's)
// uncommitted work while they are still at work, with coord's hooks registered. Nothing of theirs
// may be lost, checked by content hashes; B's destructive call is refused with coord's card.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanupAll, tempDir, tempRepo } from "../support/world";
import { allowTools, announceSkip, bash, describeRun, haveClaude, read, registerCoord, runClaude, sessionIdFor, toolResult, write } from "./support";
import { type Row, SCENARIOS, lostCell, play, renderTable } from "./zero-lost.scenarios";

announceSkip("zero-lost.e2e.test.ts");
// The scenario table, filled by the tests and printed once at the end of the run.
const table = new Map<string, { without: string; with: string }>();
afterAll(() => {
  cleanupAll();
  if (table.size) {
    const rows: Row[] = SCENARIOS.filter((s) => table.has(s.name)).map((s) => [s.name, table.get(s.name)?.without ?? "-", table.get(s.name)?.with ?? "-"]);
    console.log(`\nzero lost changes, with the real Claude Code and bd:\n${renderTable(rows)}`);
  }
});
const cell = (name: string) => table.get(name) ?? table.set(name, { without: "-", with: "-" }).get(name)!;

describe.skipIf(!haveClaude)("zero lost changes with coord", () => {
  for (const s of SCENARIOS) {
    test(
      s.name,
      async () => {
        const o = await play(s, true);
        cell(s.name).with = lostCell(s, o);
        expect(o.runs.b.code, describeRun(o.runs.b)).toBe(0);
        expect(o.runs.a.code, describeRun(o.runs.a)).toBe(0);
        expect(o.lost).toBe(0);
        expect(o.refused.length).toBeGreaterThan(0);
      },
      150_000,
    );
  }
});

// The control: the same interleavings without coord's hooks really do destroy the other sessions'
// work, so the scenarios above prove something.
describe.skipIf(!haveClaude)("the same scenarios without coord", () => {
  for (const s of SCENARIOS) {
    test(
      `${s.name}: loses the other sessions' work`,
      async () => {
        const o = await play(s, false);
        cell(s.name).without = lostCell(s, o);
        expect(o.lost).toBeGreaterThan(0);
        expect(o.refused).toEqual([]);
      },
      150_000,
    );
  }
});

describe.skipIf(!haveClaude)("once the other session commits", () => {
  test(
    "its file is free again: B's Write goes through, and A's own commit was never refused",
    async () => {
      const repo = tempRepo();
      repo.write("src/app.ts", "v1\n");
      repo.git("add", "-A");
      repo.git("commit", "-qm", "base");
      registerCoord(repo.dir);
      allowTools(repo.dir, ["Bash"]);
      const gate = join(tempDir("coord-gate-"), "go");
      const gate2 = `${gate}2`;
      const wait = (g: string) => bash(`while [ ! -e '${g}' ]; do sleep 0.2; done`);
      const f = repo.path("src/app.ts");
      const a = runClaude({
        cwd: repo.dir,
        sessionId: sessionIdFor("aaaaaaaa"),
        timeoutMs: 90_000,
        script: [[read(f)], [write(f, "A\n")], [wait(gate)], [bash("git add src/app.ts && git commit -qm 'A: app'", "a-commit")], [wait(gate2)]],
      });
      for (let i = 0; i < 300 && !(existsSync(f) && readFileSync(f, "utf8") === "A\n"); i++) await Bun.sleep(100);
      const b1 = await runClaude({ cwd: repo.dir, sessionId: sessionIdFor("bbbbbbbb"), script: [[read(f, "r")], [write(f, "B\n", "w")]] });
      expect(toolResult(b1.requests, "w")?.text).toStartWith("coord: refused Write of src/app.ts");
      writeFileSync(gate, "");
      for (let i = 0; i < 300 && repo.git("log", "-1", "--format=%s") !== "A: app"; i++) await Bun.sleep(100);
      expect(repo.git("log", "-1", "--format=%s")).toBe("A: app");
      // A is still live (waiting on the second gate), but its change is committed: nothing of A's to lose.
      let b2: Awaited<ReturnType<typeof runClaude>>;
      try {
        b2 = await runClaude({ cwd: repo.dir, sessionId: sessionIdFor("bbbbbbbb"), script: [[read(f, "r")], [write(f, "B\n", "w")]] });
      } finally {
        writeFileSync(gate2, "");
      }
      expect(toolResult(b2.requests, "w")?.isError, describeRun(b2)).toBe(false);
      expect(readFileSync(f, "utf8")).toBe("B\n");
      const ra = await a;
      expect(toolResult(ra.requests, "a-commit")?.isError, describeRun(ra)).toBe(false);
    },
    150_000,
  );
});
