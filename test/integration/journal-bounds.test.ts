// The journal stays bounded: the log rotates, and compaction keeps only live sessions' last writers.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { compactJournal, lastEdit, logPath, recordEdit } from "../../src/edges/journal";
import { touchSession } from "../../src/edges/sessions";
import { cleanupAll, tempDir } from "../support/world";

afterAll(cleanupAll);

describe("after 7,000 recorded edits of 3,000 files", () => {
  let state!: string;
  let now!: number;
  beforeAll(() => {
    state = tempDir("coord-journal-");
    now = Date.now();
    touchSession(state, { identity: "claude-aaaaaaaa", sessionId: "live", cwd: "/r", root: "/r" }, now);
    touchSession(state, { identity: "claude-bbbbbbbb", sessionId: "gone", cwd: "/r", root: "/r" }, now, { reason: "other" });
    for (let i = 0; i < 7_000; i++) {
      recordEdit(state, { root: "/r", file: `src/f${i % 3000}.ts`, sessionId: i % 3000 < 2000 ? "live" : "gone", identity: i % 3000 < 2000 ? "claude-aaaaaaaa" : "claude-bbbbbbbb", at: now + i, sha256: "0".repeat(64) });
    }
  });

  test("the log has rotated: neither generation passes 1 MiB plus one line, and every line is whole JSON", () => {
    const dir = join(state, "journal");
    const logs = readdirSync(dir).filter((n) => n.endsWith(".log"));
    expect(logs.sort()).toEqual(["edits.1.log", "edits.log"]);
    for (const n of logs) {
      expect(statSync(join(dir, n)).size).toBeLessThan(1024 * 1024 + 4096);
      for (const l of readFileSync(join(dir, n), "utf8").trimEnd().split("\n")) expect(() => JSON.parse(l)).not.toThrow();
    }
  });

  test("the index holds one last writer per file", () => {
    expect(readdirSync(join(state, "journal", "last"))).toHaveLength(3000);
    expect(lastEdit(state, "/r", "src/f7.ts")?.at).toBe(now + 6007);
    expect(lastEdit(state, "/other-checkout", "src/f7.ts")).toBeNull();
  });

  test("compaction keeps an ended session's entries while its identity holds a claim, or while the claims are not known", () => {
    const claim = { id: "t-1", title: "B's work", status: "in_progress", assignee: "claude-bbbbbbbb", updatedAt: "", priority: 2, files: ["src/"], blockedBy: [] };
    expect(compactJournal(state, now, 30 * 60_000, [claim])).toEqual({ kept: 3000, dropped: 0 });
    expect(compactJournal(state, now, 30 * 60_000, null)).toEqual({ kept: 3000, dropped: 0 });
  });

  test("compaction drops the ended session's entries and keeps the live one's", () => {
    expect(compactJournal(state, now, 30 * 60_000, [])).toEqual({ kept: 2000, dropped: 1000 });
    expect(lastEdit(state, "/r", "src/f2500.ts")).toBeNull();
    expect(lastEdit(state, "/r", "src/f1500.ts")?.sessionId).toBe("live");
    expect(logPath(state)).toEndWith("edits.log");
  });
});
