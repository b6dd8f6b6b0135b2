// The Bash guard as a real Claude Code session meets it: a nested shell's write, a write into a
// linked worktree, and a command coord cannot follow, whose note the model must receive.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ME_A, cleanupAll, tempRepo } from "../support/world";
import { allowTools, announceSkip, bash, describeRun, haveClaude, registerCoord, runClaude, sessionIdFor, toolResult } from "./support";

announceSkip("shell.e2e.test.ts");
afterAll(cleanupAll);

const T = 60_000;

function claimedRepo() {
  const repo = tempRepo();
  repo.write("src/api/routes.ts", "export const routes = [];\n");
  repo.git("add", "-A");
  repo.git("commit", "-qm", "base");
  const id = repo.bead("Add API routes", "Files: src/api/");
  repo.claim(id, ME_A);
  registerCoord(repo.dir);
  allowTools(repo.dir, ["Bash"]);
  return { repo, id };
}

describe.skipIf(!haveClaude)("B's Bash commands against A's claim", () => {
  test(
    "bash -c -- \"echo … > claimed file\" is refused and the file is untouched",
    async () => {
      const { repo, id } = claimedRepo();
      const routes = repo.path("src/api/routes.ts");
      const run = await runClaude({ cwd: repo.dir, sessionId: sessionIdFor("bbbbbbbb"), script: [[bash('bash -c -- "echo hijacked > src/api/routes.ts"', "b1")]] });
      expect(run.code, describeRun(run)).toBe(0);
      expect(readFileSync(routes, "utf8")).toBe("export const routes = [];\n");
      const r = toolResult(run.requests, "b1");
      expect(r?.isError).toBe(true);
      expect(r?.text).toContain("coord: refused Bash (> redirection) of src/api/routes.ts");
      expect(r?.text).toContain(id);
    },
    T,
  );

  test(
    "a write into a linked worktree of the same repository gets that checkout's rules",
    async () => {
      const { repo, id } = claimedRepo();
      const wt = join(dirname(repo.dir), "repo-wt");
      repo.git("worktree", "add", "-q", "-b", "wt", wt);
      const there = join(wt, "src/api/routes.ts");
      const run = await runClaude({ cwd: repo.dir, sessionId: sessionIdFor("bbbbbbbb"), script: [[bash("echo hijacked > ../repo-wt/src/api/routes.ts", "b1")]] });
      expect(run.code, describeRun(run)).toBe(0);
      expect(readFileSync(there, "utf8")).toBe("export const routes = [];\n");
      const r = toolResult(run.requests, "b1");
      expect(r?.isError).toBe(true);
      expect(r?.text).toContain("src/api/routes.ts");
      expect(r?.text).toContain(id);
    },
    T,
  );

  test(
    "a command coord cannot follow runs, and the model is told it was not checked and what to do",
    async () => {
      const { repo } = claimedRepo();
      const run = await runClaude({ cwd: repo.dir, sessionId: sessionIdFor("bbbbbbbb"), script: [[bash("echo src/api/routes.ts | xargs ls -l", "b1")], [bash("python3 -c 'print(40 + 2)'", "b2")]] });
      expect(run.code, describeRun(run)).toBe(0);
      expect(existsSync(repo.path("src/api/routes.ts"))).toBe(true);
      const r = toolResult(run.requests, "b2");
      expect(r?.isError).toBe(false);
      expect(r?.text).toContain("42");
      const told = r?.siblings.join("\n") ?? "";
      expect(told).toContain("this command was not checked");
      expect(told).toContain("python3 -c: the code is not read");
      expect(told).toContain("claim them first");
      // A reader that is no writer (xargs ls) is nothing to warn about.
      expect(toolResult(run.requests, "b1")?.siblings.join("\n") ?? "").not.toContain("not checked");
    },
    T,
  );
});
