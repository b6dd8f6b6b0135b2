// The README's promise, end to end: in a fresh repository, `coord init` and nothing else, then two
// real Claude Code sessions. A claims through bd from its Bash tool and edits its files; B is
// refused on them and works elsewhere. No settings are written by the test itself.
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { ME_A, ME_B, cleanupAll, tempRepo } from "../support/world";
import { announceSkip, bash, describeRun, haveClaude, messagesText, read, runClaude, sessionIdFor, toolResult, write } from "./support";

announceSkip("init.e2e.test.ts");
afterAll(cleanupAll);

describe.skipIf(!haveClaude)("coord init, then two sessions", () => {
  test(
    "guards A's claimed files from B with no manual step",
    async () => {
      const repo = tempRepo();
      repo.write("src/api/routes.ts", "export const routes = [];\n");
      repo.write("src/db/schema.ts", "export const schema = {};\n");
      repo.git("add", "-A");
      repo.git("commit", "-qm", "start");
      const init = repo.coord(["init"]);
      expect(init.code, init.stderr).toBe(0);
      expect(repo.coord(["init", "--check"]).code).toBe(0);
      expect(readFileSync(repo.path("CLAUDE.md"), "utf8")).toContain("## Multi-Session Coordination");
      const id = repo.bead("Add API routes", "Files: src/api/");
      const routes = repo.path("src/api/routes.ts");
      const schema = repo.path("src/db/schema.ts");

      const a = await runClaude({
        cwd: repo.dir,
        sessionId: sessionIdFor("aaaaaaaa"),
        script: [[bash(`bd update ${id} --claim`, "c1")], [read(routes, "r1")], [write(routes, "export const routes = ['a'];\n", "w1")]],
      });
      expect(a.code, describeRun(a)).toBe(0);
      expect(toolResult(a.requests, "c1")?.isError, toolResult(a.requests, "c1")?.text).toBe(false);
      expect(readFileSync(routes, "utf8")).toBe("export const routes = ['a'];\n");

      const b = await runClaude({
        cwd: repo.dir,
        sessionId: sessionIdFor("bbbbbbbb"),
        script: [[read(routes, "r1"), read(schema, "r2")], [write(routes, "theirs\n", "w1"), write(schema, "export const schema = { b: 1 };\n", "w2")]],
      });
      expect(b.code, describeRun(b)).toBe(0);
      expect(messagesText(b.requests[0]!)).toContain(`${id} ${ME_A}: src/api/`);
      expect(readFileSync(routes, "utf8")).toBe("export const routes = ['a'];\n");
      const refused = toolResult(b.requests, "w1");
      expect(refused?.isError).toBe(true);
      expect(refused?.text).toContain(`whose: ${ME_A} (you are ${ME_B})`);
      expect(readFileSync(schema, "utf8")).toBe("export const schema = { b: 1 };\n");
    },
    90_000,
  );
});
