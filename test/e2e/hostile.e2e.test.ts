// Claims against hostile input, as a real Claude Code session meets them: a collaborator's bead
// with a glob built to backtrack, and a session's bd command that would take another's claim.
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { ME_A, ME_B, cleanupAll, tempRepo } from "../support/world";
import { allowTools, announceSkip, bash, describeRun, haveClaude, read, registerCoord, runClaude, sessionIdFor, toolResult, write } from "./support";

announceSkip("hostile.e2e.test.ts");
afterAll(cleanupAll);

const T = 120_000;

describe.skipIf(!haveClaude)("a collaborator syncs beads with a hostile glob", () => {
  test(
    "the file another session claimed stays as it was, and the model is shown the card",
    async () => {
      const repo = tempRepo();
      const id = repo.bead("Add API routes", "Files: src/api/");
      repo.claim(id, ME_A);
      // What took picomatch over 15 s inside the hook, past Claude Code's own hook timeout.
      repo.claim(repo.bead("Monster", "Files: *a*a*a*a*a*a*a*a*a*a*a*ab", "mallory"), "mallory");
      repo.bead("Ready run", `Files: ${"a".repeat(42)}`, "mallory");
      repo.write("src/api/routes.ts", "export const routes = [];\n");
      registerCoord(repo.dir);
      const routes = repo.path("src/api/routes.ts");

      const run = await runClaude({
        cwd: repo.dir,
        sessionId: sessionIdFor("bbbbbbbb"),
        script: [[read(routes, "r1")], [write(routes, "hijacked\n", "w1")]],
      });
      expect(run.code, describeRun(run)).toBe(0);
      expect(readFileSync(routes, "utf8")).toBe("export const routes = [];\n");
      const refused = toolResult(run.requests, "w1");
      expect(refused?.isError).toBe(true);
      expect(refused?.text).toStartWith("coord: refused Write of src/api/routes.ts");
      expect(refused?.text).toContain(`whose: ${ME_A} (you are ${ME_B})`);
    },
    T,
  );
});

describe.skipIf(!haveClaude)("a session's bd command on another session's claim", () => {
  test(
    "bd update <theirs> --assignee me is refused and the bead stays theirs",
    async () => {
      const repo = tempRepo();
      const id = repo.bead("Add API routes", "Files: src/api/");
      repo.claim(id, ME_A);
      const free = repo.bead("Write the guide", "Files: docs/");
      registerCoord(repo.dir);
      // The user's own rule, as coord init writes it: bd update runs without a prompt.
      allowTools(repo.dir, ["Bash(bd update:*)"]);

      const run = await runClaude({
        cwd: repo.dir,
        sessionId: sessionIdFor("bbbbbbbb"),
        script: [[bash(`bd update ${id} --assignee ${ME_B}`, "b1")], [bash(`bd update ${free} --claim`, "b2")]],
      });
      expect(run.code, describeRun(run)).toBe(0);
      const refused = toolResult(run.requests, "b1");
      expect(refused?.isError).toBe(true);
      expect(refused?.text).toContain("changes another session's claim");
      expect(refused?.text).toContain(`whose: ${ME_A} (you are ${ME_B})`);
      const shown = JSON.parse(repo.bd(["show", id, "--json"]));
      const bead = Array.isArray(shown) ? shown[0] : shown;
      expect([bead.assignee, bead.status]).toEqual([ME_A, "in_progress"]);

      // Free work is still claimed through bd without a word from coord.
      expect(toolResult(run.requests, "b2")?.isError).toBe(false);
      const took = JSON.parse(repo.bd(["show", free, "--json"]));
      expect((Array.isArray(took) ? took[0] : took).assignee).toBe(ME_B);
    },
    T,
  );
});
