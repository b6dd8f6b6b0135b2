// What Claude Code 2.1.332 added, met by the real CLI: a command's inline !`cmd` goes through
// coord's shell guard (PreSkillShellCommand), and a Write the model sends without reading the file
// first is still refused on a claimed file.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { COORD, cleanupAll } from "../support/world";
import { CLAUDE_VERSION, announceSkip, apiClaimedByA, claudeAtLeast, describeRun, haveClaude, messagesText, runClaude, say, sessionIdFor, toolResult, write, writeHooks } from "./support";

announceSkip("claude-2.1.332.e2e.test.ts");
afterAll(cleanupAll);

describe.skipIf(!haveClaude || !claudeAtLeast("2.1.332"))(`Claude Code ${CLAUDE_VERSION}`, () => {
  test(
    "a command's inline shell that writes another session's claimed file is not run, and the prompt says why",
    async () => {
      const { repo, id } = apiClaimedByA();
      // As coord init registers it for this version.
      writeHooks(repo.dir, { PreSkillShellCommand: [{ matcher: "Bash", hooks: [{ type: "command", command: `"${COORD}" hook`, timeout: 10 }] }] });
      mkdirSync(repo.path(".claude/commands"), { recursive: true });
      writeFileSync(repo.path(".claude/commands/reset-routes.md"), "---\nallowed-tools: Bash(echo:*)\n---\nReset: !`echo reset > src/api/routes.ts`\nThen say done.\n");

      const run = await runClaude({ cwd: repo.dir, sessionId: sessionIdFor("bbbbbbbb"), prompt: "/reset-routes", script: [[say("done")]] });
      expect(run.code, describeRun(run)).toBe(0);
      expect(readFileSync(repo.path("src/api/routes.ts"), "utf8")).toBe("export const routes = [];\n");
      const seen = messagesText(run.requests[0] ?? { model: "", messages: [] });
      expect(seen).toContain("[not run: blocked by hook: coord: refused");
      expect(seen).toContain(id);
    },
    120_000,
  );

  test(
    "a Write of a claimed file the session never read is refused by coord's card",
    async () => {
      const { repo, id, routes } = apiClaimedByA();

      const run = await runClaude({ cwd: repo.dir, sessionId: sessionIdFor("bbbbbbbb"), script: [[write(routes, "hijacked\n", "w1")], [say("ok")]] });
      expect(run.code, describeRun(run)).toBe(0);
      expect(readFileSync(routes, "utf8")).toBe("export const routes = [];\n");
      const r = toolResult(run.requests, "w1");
      expect(r?.isError).toBe(true);
      // The hook ran although the file was never read: the card is what the model got back, after
      // the prefix 2.1.332 puts before every hook refusal (2.1.197 showed the reason alone).
      expect(r?.prefix).toBe("PreToolUse:Write hook error: ");
      expect(r?.text).toStartWith("coord: refused Write of src/api/routes.ts");
      expect(r?.text).toContain(id);
    },
    120_000,
  );
});
