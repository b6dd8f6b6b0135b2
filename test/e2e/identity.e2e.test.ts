// Session ids that change under a running worker. /clear gives a session a new id: coord hands the
// old identity over, so the cleared session can still edit the files it claimed. --fork-session
// makes a second worker beside the first: it gets an identity of its own.
import { afterAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ME_A, cleanupAll, tempDir, tempRepo } from "../support/world";
import { allowTools, announceSkip, bash, describeRun, haveClaude, messagesText, read, registerCoord, runClaude, sessionIdFor, toolResult, write } from "./support";

announceSkip("identity.e2e.test.ts");
afterAll(cleanupAll);

describe.skipIf(!haveClaude)("a session after /clear", () => {
  test(
    "keeps its identity and may edit what it claimed",
    async () => {
      const repo = tempRepo();
      const id = repo.bead("Add API routes", "Files: src/api/");
      repo.write("src/api/routes.ts", "v1\n");
      registerCoord(repo.dir);
      const home = tempDir("coord-e2e-home-");
      const A = sessionIdFor("aaaaaaaa");
      const first = await runClaude({ cwd: repo.dir, sessionId: A, home, script: [] });
      expect(first.code, describeRun(first)).toBe(0);
      repo.claim(id, ME_A);

      const cleared = await runClaude({ cwd: repo.dir, sessionId: A, home, prompt: "/clear", args: ["--resume", A], script: [] });
      expect(cleared.code, describeRun(cleared)).toBe(0);
      const sessions = join(repo.dir, ".git", "coord", "sessions");
      const records = readdirSync(sessions).map((f) => JSON.parse(readFileSync(join(sessions, f), "utf8")) as { sessionId: string; identity: string; inheritedFrom?: string; endReason?: string });
      expect(records.find((r) => r.sessionId === A)?.endReason).toBe("clear");
      const successor = records.find((r) => r.inheritedFrom === A);
      expect(successor?.identity).toBe(ME_A);
      const N = successor?.sessionId as string;
      expect(N).not.toBe(A);

      const routes = repo.path("src/api/routes.ts");
      const after = await runClaude({ cwd: repo.dir, sessionId: N, home, args: ["--resume", N], script: [[read(routes, "r1")], [write(routes, "v2 by A after clear\n", "w1")]] });
      expect(after.code, describeRun(after)).toBe(0);
      expect(toolResult(after.requests, "w1")?.isError, toolResult(after.requests, "w1")?.text).toBe(false);
      expect(readFileSync(routes, "utf8")).toBe("v2 by A after clear\n");
      expect(messagesText(after.requests[0]!)).toContain(`you are ${ME_A}`);
    },
    90_000,
  );
});

describe.skipIf(!haveClaude)("a session forked with --resume --fork-session", () => {
  test(
    "claims and edits as itself, and is refused the files of the session it was forked from",
    async () => {
      const repo = tempRepo();
      const first = repo.bead("Add API routes", "Files: src/api/");
      const second = repo.bead("Write the guide", "Files: docs/");
      repo.write("src/api/routes.ts", "v1\n");
      repo.write("docs/guide.md", "v1\n");
      registerCoord(repo.dir);
      allowTools(repo.dir, ["Bash(bd update:*)"]);
      const home = tempDir("coord-e2e-home-");
      const A = sessionIdFor("aaaaaaaa");
      expect((await runClaude({ cwd: repo.dir, sessionId: A, home, script: [] })).code).toBe(0);
      repo.claim(first, ME_A);

      const routes = repo.path("src/api/routes.ts");
      const guide = repo.path("docs/guide.md");
      const fork = await runClaude({
        cwd: repo.dir,
        sessionId: A,
        home,
        args: ["--resume", A, "--fork-session"],
        script: [[bash(`bd update ${second} --claim`, "c1")], [read(guide, "r1"), read(routes, "r2")], [write(guide, "v2 by the fork\n", "w1"), write(routes, "v2 by the fork\n", "w2")]],
      });
      expect(fork.code, describeRun(fork)).toBe(0);
      const forkId = String(fork.json?.session_id);
      expect(forkId).not.toBe(A);
      const me = `claude-${forkId.slice(0, 8)}`;
      const shown = JSON.parse(repo.bd(["show", second, "--json"])) as { assignee?: string }[];
      expect(shown[0]?.assignee).toBe(me);
      expect(readFileSync(guide, "utf8")).toBe("v2 by the fork\n");
      expect(readFileSync(routes, "utf8")).toBe("v1\n");
      expect(toolResult(fork.requests, "w2")?.text).toContain(`whose: ${ME_A} (you are ${me})`);
    },
    90_000,
  );
});
