// Identity: BEADS_ACTOR, else what coord recorded for the session, else claude-<8 characters>.
// After /clear the new session takes over the identity of the one the clear ended.
import { describe, expect, test } from "bun:test";
import { CLEAR_HANDOVER_MS, identityOf, shellSession, successorOf } from "../../src/core/identity";
import type { SessionRecord } from "../../src/core/live";
import { envFileSession } from "../../src/hook/session";

describe("identityOf", () => {
  test("BEADS_ACTOR first, then the recorded identity, then the session id", () => {
    expect(identityOf({ beadsActor: "alice", sessionId: "1234567890", recorded: "claude-aaaaaaaa" })).toBe("alice");
    expect(identityOf({ sessionId: "1234567890", recorded: "claude-aaaaaaaa" })).toBe("claude-aaaaaaaa");
    expect(identityOf({ sessionId: "1234567890" })).toBe("claude-12345678");
    expect(identityOf({ beadsActor: "  ", sessionId: "ab/cd" })).toBe("claude-abcd");
    expect(identityOf({})).toBeNull();
  });
});

describe("successorOf: the session a /clear ended", () => {
  const NOW = 1_800_000_000_000;
  const rec = (sessionId: string, extra: Partial<SessionRecord> = {}): SessionRecord => ({
    sessionId,
    identity: `claude-${sessionId.slice(0, 8)}`,
    cwd: "/r",
    root: "/r",
    startedAt: NOW - 600_000,
    lastSeen: NOW - 2_000,
    endedAt: NOW - 2_000,
    endReason: "clear",
    inheritedFrom: null,
    ...extra,
  });

  test("is found in the same checkout, just ended by clear", () => {
    expect(successorOf([rec("aaaaaaaa-1")], "/r", "cccccccc-3", NOW)?.sessionId).toBe("aaaaaaaa-1");
  });

  test("the most recent of two", () => {
    const older = rec("aaaaaaaa-1", { endedAt: NOW - 30_000 });
    const newer = rec("bbbbbbbb-2", { endedAt: NOW - 1_000 });
    expect(successorOf([older, newer], "/r", "cccccccc-3", NOW)?.sessionId).toBe("bbbbbbbb-2");
  });

  test.each([
    ["ended another way", { endReason: "logout" }],
    ["still running", { endedAt: null, endReason: null }],
    ["in another checkout", { root: "/r-api" }],
    ["ended too long ago", { endedAt: NOW - CLEAR_HANDOVER_MS - 1 }],
  ])("is not a session %s", (_n, extra) => {
    expect(successorOf([rec("aaaaaaaa-1", extra as Partial<SessionRecord>)], "/r", "cccccccc-3", NOW)).toBeNull();
  });

  test("is taken over once only", () => {
    const taken = rec("cccccccc-3", { endedAt: null, endReason: null, inheritedFrom: "aaaaaaaa-1" });
    expect(successorOf([rec("aaaaaaaa-1"), taken], "/r", "dddddddd-4", NOW)).toBeNull();
  });
});

describe("envFileSession: the session a CLAUDE_ENV_FILE belongs to", () => {
  test("is the folder under session-env (the new id after --fork-session)", () => {
    expect(envFileSession("/home/u/.claude/session-env/65e96447-7d14-4108-ae7b-2ae175370271/sessionstart-hook-0.sh")).toBe("65e96447-7d14-4108-ae7b-2ae175370271");
  });
  test.each([[undefined], [""], ["/tmp/env.sh"], ["/x/session-env/a b/hook.sh"]])("is unknown for %p", (f) => {
    expect(envFileSession(f)).toBeNull();
  });
});

describe("shellSession", () => {
  test("a command run by Claude Code or by Codex knows its session from what the host exports", () => {
    expect(shellSession({ CLAUDE_CODE_SESSION_ID: "1a2b3c4d-x" })).toEqual({ host: "claude", sessionId: "1a2b3c4d-x" });
    // Codex 0.171.0 exports CODEX_SESSION_ID (and CODEX_THREAD_ID, the same value) to its shell tool.
    const codex = shellSession({ CODEX_SESSION_ID: "01a233e6-ca07-7b60-b785-89bfaaba1eb6" });
    expect(codex).toEqual({ host: "codex", sessionId: "01a233e6-ca07-7b60-b785-89bfaaba1eb6" });
    expect(identityOf({ sessionId: codex?.sessionId, host: codex?.host })).toBe("codex-aaba1eb6");
    expect(shellSession({})).toBeNull();
  });
});
