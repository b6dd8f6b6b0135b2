// Three real Claude Code sessions in one checkout commit at the same moment, the way coord's cards
// and section suggest (`git commit -m … -- <own files>`), with and without the commit gate: every
// session's work lands in its own commit, and nobody's file is taken into another's.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { installGitHooks } from "../../src/edges/githooks";
import { findRepo } from "../../src/edges/repo";
import { COORD, cleanupAll, tempDir, tempRepo } from "../support/world";
import { allowTools, announceSkip, bash, describeRun, haveClaude, registerCoord, runClaude, sessionIdFor, toolResult, write } from "./support";

announceSkip("commit-side-by-side.e2e.test.ts");
afterAll(cleanupAll);

const SESSIONS = ["aaaaaaaa", "bbbbbbbb", "cccccccc"] as const;

for (const gate of [false, true]) {
  describe.skipIf(!haveClaude)(`three sessions committing at once, ${gate ? "with" : "without"} the commit gate`, () => {
    test(
      "each session's file lands in its own commit",
      async () => {
        const repo = tempRepo();
        repo.write("README.md", "base\n");
        repo.git("add", "-A");
        repo.git("commit", "-qm", "base");
        if (gate) installGitHooks(findRepo(repo.dir) ?? (null as never), [COORD]);
        registerCoord(repo.dir);
        allowTools(repo.dir, ["Bash"]);
        const go = join(tempDir("coord-go-"), "go");
        const runs = SESSIONS.map((s) => {
          const file = `${s[0]}.txt`;
          // index.lock is shared: a commit that meets another's lock retries, as a person would.
          const commit = `ok=1; for i in $(seq 40); do if git add ${file} && git commit -qm '${s}: ${file}' -- ${file}; then ok=0; break; fi; sleep 0.1; done; test $ok = 0`;
          return runClaude({
            cwd: repo.dir,
            sessionId: sessionIdFor(s),
            timeoutMs: 150_000,
            script: [[write(repo.path(file), `work of ${s}\n`, "w")], [bash(`while [ ! -e '${go}' ]; do sleep 0.05; done`)], [bash(commit, "c")]],
          });
        });
        for (let i = 0; i < 1200 && !SESSIONS.every((s) => existsSync(repo.path(`${s[0]}.txt`))); i++) await Bun.sleep(100);
        await Bun.sleep(1500); // every session's PostToolUse has journaled its Write
        writeFileSync(go, "");
        const done = await Promise.all(runs);
        for (const r of done) expect(toolResult(r.requests, "c")?.isError, describeRun(r)).toBe(false);
        const commits = repo.git("log", "--format=%s", "main").split("\n").filter((l) => l !== "base");
        expect(commits.sort()).toEqual(SESSIONS.map((s) => `${s}: ${s[0]}.txt`).sort());
        for (const s of SESSIONS) {
          const sha = repo.git("log", "--format=%H", "--grep", `^${s}:`, "main");
          expect(repo.git("show", "--name-only", "--format=", sha)).toBe(`${s[0]}.txt`);
        }
        // Nothing left staged or uncommitted but the test's own Claude Code settings.
        expect(repo.git("status", "--porcelain", "--", ".", ":!.claude")).toBe("");
      },
      240_000,
    );
  });
}
