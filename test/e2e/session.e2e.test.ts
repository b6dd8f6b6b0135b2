// A Claude Code session's start: the banner the model reads first, and the identity that bd run
// from the session's own Bash calls claims under.
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { ME_A, ME_B, cleanupAll, tempRepo } from "../support/world";
import { allowTools, announceSkip, bash, describeRun, haveClaude, messagesText, read, registerCoord, runClaude, sessionIdFor, toolResult, write } from "./support";

announceSkip("session.e2e.test.ts");
afterAll(cleanupAll);

const T = 120_000;

describe.skipIf(!haveClaude)("the SessionStart banner", () => {
  test(
    "is in the first request the model receives: its identity and who holds what",
    async () => {
      const repo = tempRepo();
      const id = repo.bead("Add API routes", "Files: src/api/");
      repo.claim(id, ME_A);
      registerCoord(repo.dir);

      const run = await runClaude({ cwd: repo.dir, sessionId: sessionIdFor("bbbbbbbb"), script: [] });
      expect(run.code, describeRun(run)).toBe(0);
      expect(run.requests.length).toBe(1);

      const first = messagesText(run.requests[0]!);
      expect(first).toContain(`SessionStart hook additional context: coord: you are ${ME_B}.`);
      expect(first).toContain(`${id} ${ME_A}: src/api/`);
      expect(first).toContain('"Add API routes"');
      // Once: the hook's systemMessage (the same banner) is for the person, not the model.
      expect(first.split(`you are ${ME_B}`).length - 1).toBe(1);
    },
    T,
  );
});

describe.skipIf(!haveClaude)("a claim made with bd from the session's Bash tool", () => {
  test(
    "is assigned to that session, which may then edit the files while another session may not",
    async () => {
      const repo = tempRepo();
      const id = repo.bead("Add API routes", "Files: src/api/");
      repo.write("src/api/routes.ts", "export const routes = [];\n");
      registerCoord(repo.dir);
      // The user's own rule; without one, -p mode refuses the command ("This command requires approval").
      allowTools(repo.dir, ["Bash(bd update:*)"]);
      const routes = repo.path("src/api/routes.ts");

      const a = await runClaude({ cwd: repo.dir, sessionId: sessionIdFor("aaaaaaaa"), script: [[bash(`bd update ${id} --claim`, "b1")]] });
      expect(a.code, describeRun(a)).toBe(0);
      const claimed = toolResult(a.requests, "b1");
      expect(claimed?.isError, claimed?.text).toBe(false);
      const shown = JSON.parse(repo.bd(["show", id, "--json"])) as { assignee?: string; status?: string }[];
      expect(shown[0]?.assignee).toBe(ME_A);
      expect(shown[0]?.status).toBe("in_progress");

      const b = await runClaude({
        cwd: repo.dir,
        sessionId: sessionIdFor("bbbbbbbb"),
        script: [[read(routes, "r1")], [write(routes, "theirs\n", "w1")]],
      });
      expect(b.code, describeRun(b)).toBe(0);
      expect(readFileSync(routes, "utf8")).toBe("export const routes = [];\n");
      expect(toolResult(b.requests, "w1")?.text).toContain(`whose: ${ME_A} (you are ${ME_B})`);
      expect(messagesText(b.requests[0]!)).toContain(`${id} ${ME_A}: src/api/`);

      const a2 = await runClaude({
        cwd: repo.dir,
        sessionId: sessionIdFor("aaaaaaaa"),
        script: [[read(routes, "r1")], [write(routes, "mine\n", "w1")]],
      });
      expect(a2.code, describeRun(a2)).toBe(0);
      expect(readFileSync(routes, "utf8")).toBe("mine\n");
      expect(messagesText(a2.requests[0]!)).toContain(`you are ${ME_A}, holding ${id}`);
    },
    2 * T, // three sessions in a row
  );

  test(
    "runs with the identity coord exported through CLAUDE_ENV_FILE",
    async () => {
      const repo = tempRepo();
      registerCoord(repo.dir);
      allowTools(repo.dir, ["Bash(printenv:*)"]);
      const run = await runClaude({
        cwd: repo.dir,
        sessionId: sessionIdFor("aaaaaaaa"),
        script: [[bash("printenv BD_ACTOR BEADS_ACTOR COORD_IDENTITY", "b1")]],
      });
      expect(run.code, describeRun(run)).toBe(0);
      const out = toolResult(run.requests, "b1");
      expect(out?.isError, out?.text).toBe(false);
      expect(out?.text.trim().split("\n")).toEqual([ME_A, ME_A, ME_A]);
    },
    T,
  );
});
