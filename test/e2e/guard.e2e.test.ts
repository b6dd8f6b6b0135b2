// The edit guard as a real Claude Code session meets it: coord hook registered in the project's
// settings, the model scripted to write files, the files and the model's tool results checked.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { ME_A, ME_B, cleanupAll, tempRepo } from "../support/world";
import { announceSkip, apiClaimedByA, describeRun, edit, haveClaude, read, registerCoord, runClaude, sessionIdFor, toolResult, write } from "./support";

announceSkip("guard.e2e.test.ts");
afterAll(cleanupAll);

const T = 120_000;

describe.skipIf(!haveClaude)("a file another session has claimed", () => {
  test(
    "is neither overwritten nor created, and the model is shown the card naming bead and owner",
    async () => {
      const { repo, id, routes } = apiClaimedByA();
      const fresh = repo.path("src/api/auth.ts");
      const free = repo.path("src/db/schema.ts");

      const run = await runClaude({
        cwd: repo.dir,
        sessionId: sessionIdFor("bbbbbbbb"),
        script: [[read(routes, "r1")], [write(routes, "hijacked\n", "w1")], [write(fresh, "new\n", "w2")], [write(free, "create table t;\n", "w3")]],
      });
      expect(run.code, describeRun(run)).toBe(0);

      expect(readFileSync(routes, "utf8")).toBe("export const routes = [];\n");
      expect(existsSync(fresh)).toBe(false);
      expect(readFileSync(free, "utf8")).toBe("create table t;\n");

      const refused = toolResult(run.requests, "w1");
      expect(refused?.isError).toBe(true);
      expect(refused?.text).toStartWith("coord: refused Write of src/api/routes.ts");
      expect(refused?.text).toContain(id);
      expect(refused?.text).toContain('"Add API routes"');
      expect(refused?.text).toContain(`whose: ${ME_A} (you are ${ME_B})`);
      expect(toolResult(run.requests, "w2")?.text).toContain("coord: refused Write of src/api/auth.ts");
      expect(toolResult(run.requests, "w3")?.isError).toBe(false);

      const denied = (run.json?.permission_denials as { tool_use_id: string }[]).map((d) => d.tool_use_id);
      expect(denied).toEqual(["w1", "w2"]);
    },
    T,
  );

  test(
    "is written by the session that holds the claim",
    async () => {
      const { repo, routes } = apiClaimedByA();

      const run = await runClaude({
        cwd: repo.dir,
        sessionId: sessionIdFor("aaaaaaaa"),
        script: [[read(routes, "r1")], [edit(routes, "[]", '["/users"]', "e1")], [write(repo.path("src/api/auth.ts"), "mine\n", "w1")]],
      });
      expect(run.code, describeRun(run)).toBe(0);

      expect(readFileSync(routes, "utf8")).toBe('export const routes = ["/users"];\n');
      expect(readFileSync(repo.path("src/api/auth.ts"), "utf8")).toBe("mine\n");
      expect(toolResult(run.requests, "e1")?.isError).toBe(false);
      expect(run.json?.permission_denials).toEqual([]);
    },
    T,
  );
});

describe.skipIf(!haveClaude)("an in-progress bead with no assignee", () => {
  test(
    "lets the write through and tells the model, after the tool result, to claim it",
    async () => {
      const repo = tempRepo();
      const id = repo.bead("Tidy docs", "Files: docs/");
      repo.bd(["update", id, "--status", "in_progress"]);
      registerCoord(repo.dir);
      const guide = repo.path("docs/guide.md");

      const run = await runClaude({ cwd: repo.dir, sessionId: sessionIdFor("bbbbbbbb"), script: [[write(guide, "# Guide\n", "w1")]] });
      expect(run.code, describeRun(run)).toBe(0);

      expect(readFileSync(guide, "utf8")).toBe("# Guide\n");
      const r = toolResult(run.requests, "w1");
      expect(r?.isError).toBe(false);
      // additionalContext arrives as a system-reminder text block beside the tool_result.
      const told = r?.siblings.join("\n") ?? "";
      expect(told).toContain("PreToolUse:Write hook additional context: coord: warning: docs/guide.md");
      expect(told).toContain(id);
    },
    T,
  );
});
