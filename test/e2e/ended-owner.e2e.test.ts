// Claimed uncommitted work outlives its session, with the real Claude Code: A claims src/api/,
// changes a file there and ends; B's `git reset --hard` and `git stash` are refused and A's change
// is still in the working tree.
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { ME_A, cleanupAll, tempRepo } from "../support/world";
import { allowTools, announceSkip, bash, describeRun, haveClaude, read, registerCoord, runClaude, sessionIdFor, toolResult, write } from "./support";

announceSkip("ended-owner.e2e.test.ts");
afterAll(cleanupAll);

describe.skipIf(!haveClaude)("A's claimed change after A's session ended", () => {
  test(
    "survives B's git reset --hard and git stash",
    async () => {
      const repo = tempRepo();
      repo.write("src/api/routes.ts", "export const routes = [];\n");
      repo.write("src/web/page.ts", "page v1\n");
      repo.git("add", "-A");
      repo.git("commit", "-qm", "base");
      const id = repo.bead("API routes", "Files: src/api/");
      repo.claim(id, ME_A);
      registerCoord(repo.dir);
      allowTools(repo.dir, ["Bash"]);
      const routes = repo.path("src/api/routes.ts");
      const changed = 'export const routes = ["/users"];\n';

      // A's session makes the change and ends (claude -p exits: SessionEnd).
      const a = await runClaude({ cwd: repo.dir, sessionId: sessionIdFor("aaaaaaaa"), script: [[read(routes, "r1")], [write(routes, changed, "w1")]] });
      expect(a.code, describeRun(a)).toBe(0);
      expect(readFileSync(routes, "utf8")).toBe(changed);

      const b = await runClaude({
        cwd: repo.dir,
        sessionId: sessionIdFor("bbbbbbbb"),
        script: [[bash("git reset --hard -q", "b1")], [bash("git stash -q", "b2")]],
        timeoutMs: 60_000,
      });
      expect(b.code, describeRun(b)).toBe(0);
      expect(readFileSync(routes, "utf8")).toBe(changed);
      for (const call of ["b1", "b2"]) {
        const r = toolResult(b.requests, call);
        expect(r?.text).toStartWith("coord: refused git");
        expect(r?.text).toContain(ME_A);
        expect(r?.text).toContain(id);
      }
    },
    120_000,
  );
});
