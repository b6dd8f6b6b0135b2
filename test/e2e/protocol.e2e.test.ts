// What Claude Code shows the model when a PreToolUse hook lets a tool run but says something:
// the facts coord's warnings rely on, checked against the pinned CLI so an upgrade that changes
// them fails here first. The hooks are tiny sh scripts printing fixed output.
import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, readFileSync } from "node:fs";
import { allow } from "../../src/core/outcome";
import { HOSTS } from "../../src/hook/hosts";
import { cleanupAll, tempRepo } from "../support/world";
import { announceSkip, claudeAtLeast, describeRun, edit, haveClaude, read, runClaude, sessionIdFor, toolResult, transcriptOf, write, writeHooks } from "./support";

announceSkip("protocol.e2e.test.ts");
afterAll(cleanupAll);

const NEW_CLAUDE = claudeAtLeast("2.1.332");
const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

describe.skipIf(!haveClaude)("a PreToolUse hook that allows the tool and prints something", () => {
  test(
    "reaches the model only through additionalContext, as a system-reminder after the tool result",
    async () => {
      const repo = tempRepo({ beads: false });
      const warned = HOSTS.claude.encode(allow(["WARN-CONTEXT-1"]), "pre-tool", "PreToolUse");
      const hook = (name: string, body: string) => {
        repo.write(name, `#!/bin/sh\ncat >/dev/null\n${body}\nexit 0\n`);
        chmodSync(repo.path(name), 0o755);
        return [{ type: "command" as const, command: `"${repo.path(name)}"`, timeout: 10 }];
      };
      // Write: exactly what coord prints for a warning: the text as systemMessage, as additionalContext
      // and on stderr. Edit: plain stdout and stderr. Both exit 0.
      writeHooks(repo.dir, {
        PreToolUse: [
          { matcher: "Write", hooks: hook("warn.sh", `printf '%s\\n' ${shq(warned.stdout)}\nprintf '%s\\n' ${shq(warned.stderr.join("\n"))} >&2`) },
          { matcher: "Edit", hooks: hook("plain.sh", "echo STDERR-2 >&2\necho PLAIN-STDOUT-2") },
        ],
      });
      repo.write("a.txt", "a\n");
      repo.write("b.txt", "b\n");
      const sid = sessionIdFor("cccccccc");

      const run = await runClaude({
        cwd: repo.dir,
        sessionId: sid,
        script: [[read(repo.path("a.txt"), "r1")], [write(repo.path("a.txt"), "A\n", "w1")], [read(repo.path("b.txt"), "r2")], [edit(repo.path("b.txt"), "b", "B", "e1")]],
      });
      expect(run.code, describeRun(run)).toBe(0);
      expect(readFileSync(repo.path("a.txt"), "utf8")).toBe("A\n");
      expect(readFileSync(repo.path("b.txt"), "utf8")).toBe("B\n");

      const w = toolResult(run.requests, "w1");
      expect(w?.isError).toBe(false);
      expect(w?.text).toContain("has been updated successfully");
      // 2.1.197: a system-reminder block beside the tool result; 2.1.332: a system-role message right after it.
      const said = "PreToolUse:Write hook additional context: WARN-CONTEXT-1";
      expect(w?.siblings).toEqual([NEW_CLAUDE ? said : `<system-reminder>\n${said}\n</system-reminder>`]);
      expect(toolResult(run.requests, "e1")?.siblings).toEqual([]);

      // Once only, in that reminder: neither systemMessage nor stderr added a copy.
      const last = JSON.stringify(run.requests.at(-1));
      expect(last.split("WARN-CONTEXT-1").length - 1).toBe(1);
      const everything = JSON.stringify(run.requests);
      expect(everything).not.toContain("STDERR-2");
      expect(everything).not.toContain("PLAIN-STDOUT-2");

      // systemMessage is for the person: the transcript keeps it as a hook_system_message.
      const shown = transcriptOf(run.home, sid)
        .filter((e) => e.attachment?.type === "hook_system_message")
        .map((e) => e.attachment?.content);
      expect(shown).toEqual(["WARN-CONTEXT-1"]);
    },
    120_000,
  );
});
