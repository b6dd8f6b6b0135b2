// The host table on captured payloads (test/fixtures/<host>/): each parses into the same
// host-neutral event and answers in its own refusal format.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sessionIdentity } from "../../src/core/identity";
import { allow, denyOut } from "../../src/core/outcome";
import { HOSTS, type HookEvent, parseEvent, placeHost } from "../../src/hook/hosts";

const fx = (host: string, name: string) => readFileSync(join(import.meta.dir, "../fixtures", host, name), "utf8");
const parsed = (host: keyof typeof HOSTS | null, text: string): HookEvent => {
  const p = parseEvent(host ? HOSTS[host] : null, text);
  if (!p.ok) throw new Error(p.note);
  return p.event;
};

describe("captured payloads", () => {
  test("Codex apply_patch: a patch event naming every target", () => {
    const ev = parsed("codex", fx("codex", "pretooluse-apply-patch-multi.json"));
    expect([ev.host, ev.kind, ev.toolName, ev.tool.kind]).toEqual(["codex", "pre-tool", "apply_patch", "patch"]);
    expect(ev.tool.paths).toEqual(["src/new dir/added.ts", "old.txt", "moved/renamed.txt", "gone.txt", "./keep.txt"]);
  });

  test("Codex shell: Bash with its command", () => {
    const ev = parsed("codex", fx("codex", "pretooluse-bash.json"));
    expect([ev.kind, ev.tool.kind, ev.tool.command]).toEqual(["pre-tool", "shell", "echo hi > shell.txt"]);
  });

  test("Gemini write_file and run_shell_command", () => {
    const w = parsed("gemini", fx("gemini", "beforetool-write_file.json"));
    expect([w.kind, w.tool.kind, w.tool.paths]).toEqual(["pre-tool", "file", ["hello.txt"]]);
    expect(parsed("gemini", fx("gemini", "aftertool-write_file.json")).kind).toBe("post-tool");
    const sh = parsed("gemini", fx("gemini", "beforetool-run_shell_command.json"));
    expect([sh.tool.kind, sh.tool.command]).toEqual(["shell", "echo hi > shell.txt"]);
  });

  test("placed by their payload when no --host was given: Gemini by its event names, Codex by its patch, else Claude Code", () => {
    expect(parsed(null, fx("gemini", "beforetool-write_file.json")).host).toBe("gemini");
    expect(parsed(null, fx("codex", "pretooluse-apply-patch-multi.json")).host).toBe("codex");
    expect(placeHost({ hook_event_name: "PreToolUse", tool_name: "Write" }).name).toBe("claude");
    expect(placeHost({ hook_event_name: "tool.execute.before" }).name).toBe("opencode");
  });
});

describe("the same refusal in each host's words", () => {
  const card = "coord: refused write of a.ts\nwhy: claimed";
  test("Claude Code and Codex: the JSON deny", () => {
    for (const h of ["claude", "codex"] as const) {
      const out = JSON.parse(HOSTS[h].encode(denyOut(card), "pre-tool", "PreToolUse").stdout);
      expect(out.hookSpecificOutput).toEqual({ hookEventName: "PreToolUse", permissionDecision: "deny", permissionDecisionReason: card });
    }
  });
  test("Gemini CLI: decision deny; an allow prints nothing, a warning travels as additionalContext", () => {
    expect(JSON.parse(HOSTS.gemini.encode(denyOut(card), "pre-tool", "BeforeTool").stdout)).toEqual({ decision: "deny", reason: card });
    expect(HOSTS.gemini.encode(allow(), "pre-tool", "BeforeTool").stdout).toBe("");
    expect(JSON.parse(HOSTS.gemini.encode(allow(["claim it"]), "post-tool", "AfterTool").stdout).hookSpecificOutput.additionalContext).toBe("claim it");
  });
  test("OpenCode: the answer its plugin throws or appends", () => {
    expect(JSON.parse(HOSTS.opencode.encode(denyOut(card), "pre-tool", "tool.execute.before").stdout)).toEqual({ decision: "deny", reason: card });
    expect(JSON.parse(HOSTS.opencode.encode(allow(["claim it"]), "pre-tool", "tool.execute.before").stdout)).toEqual({ decision: "allow", context: "claim it" });
  });
});

describe("identities", () => {
  test("Claude Code keeps the first 8 characters; the clock-first ids of Codex and OpenCode give their last 8", () => {
    expect(sessionIdentity("claude", "1a2b3c4d-0000-4000-8000-000000000000")).toBe("claude-1a2b3c4d");
    expect(sessionIdentity("codex", "01a233b5-5037-7722-b556-b8d143d5a275")).toBe("codex-43d5a275");
    expect(sessionIdentity("opencode", "ses_dcc4c538affe13oD2x6RH5uxR4")).toBe("opencode-6RH5uxR4");
    expect(sessionIdentity("gemini", "a20ae893-e517-4b2e-89d6-8d0feeff305f")).toBe("gemini-eeff305f");
  });
});
