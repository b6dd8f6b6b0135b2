// Live sessions and uncommitted edits, as pure judgements: who counts as live, whose record is
// mine, what git status says is changed, and the edited-by-other rule of decide().
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isLive, isMine, isStaged, isTrackedChange, isUntracked, parseStatusZ, type PendingEdit, underPath } from "../../src/core/live";
import { decide } from "../../src/core/policy";
import { decisionCard, renderCard } from "../../src/core/render";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const MIN = 60_000;

describe("a session is live", () => {
  test("while it has not ended and was seen within the idle time", () => {
    expect(isLive({ sessionId: "s", identity: "i", lastSeen: NOW - 29 * MIN, endedAt: null }, NOW, 30 * MIN)).toBe(true);
  });
  test("not once it has been silent for the idle time", () => {
    expect(isLive({ sessionId: "s", identity: "i", lastSeen: NOW - 30 * MIN, endedAt: null }, NOW, 30 * MIN)).toBe(false);
  });
  test("not once it ended, however recently", () => {
    expect(isLive({ sessionId: "s", identity: "i", lastSeen: NOW, endedAt: NOW }, NOW, 30 * MIN)).toBe(false);
  });
  test("not when no record exists", () => {
    expect(isLive(null, NOW, 30 * MIN)).toBe(false);
  });
});

describe("a journal record is mine", () => {
  const rec = { sessionId: "sid-a", identity: "claude-aaaaaaaa" };
  test("by session id", () => expect(isMine(rec, { sessionId: "sid-a", identity: "someone" })).toBe(true));
  test("by identity (a git hook knows only the identity)", () => expect(isMine(rec, { sessionId: null, identity: "claude-aaaaaaaa" })).toBe(true));
  test("not for another session and identity", () => expect(isMine(rec, { sessionId: "sid-b", identity: "claude-bbbbbbbb" })).toBe(false));
  test("not when I know neither", () => expect(isMine(rec, { sessionId: null, identity: null })).toBe(false));
});

describe("git status --porcelain=v1 -z, captured from git 2.39.5", () => {
  const entries = parseStatusZ(readFileSync(join(import.meta.dir, "../fixtures/journal/git-2.39.5-status-porcelain-z.txt"), "utf8"));
  test("reads every entry, paths with spaces whole, a rename with its source", () => {
    expect(entries.map((e) => `${e.x}${e.y} ${e.path}${e.from ? ` <- ${e.from}` : ""}`)).toEqual([
      "AM both.ts",
      " D gone.ts",
      " M mod.ts",
      "R  new-name.ts <- old-name.ts",
      "M  staged.ts",
      "?? dir with space/untracked file.ts",
    ]);
  });
  test("tells staged, tracked and untracked changes apart", () => {
    expect(entries.filter(isStaged).map((e) => e.path)).toEqual(["both.ts", "new-name.ts", "staged.ts"]);
    expect(entries.filter(isUntracked).map((e) => e.path)).toEqual(["dir with space/untracked file.ts"]);
    expect(entries.filter(isTrackedChange)).toHaveLength(5);
  });
});

describe("a pathspec covers", () => {
  const rows: [string, string, boolean][] = [
    ["src/a.ts", "", true],
    ["src/a.ts", ".", true],
    ["src/a.ts", "src", true],
    ["src/a.ts", "src/", true],
    ["src/a.ts", "./src", true],
    ["src/a.ts", "src/a.ts", true],
    ["src/ab.ts", "src/a", false],
    ["lib/a.ts", "src", false],
  ];
  for (const [path, spec, want] of rows) test(`${JSON.stringify(spec)} ${want ? "covers" : "does not cover"} ${path}`, () => expect(underPath(path, spec)).toBe(want));
});

describe("decide() with another live session's uncommitted edit", () => {
  const pending: PendingEdit[] = [{ file: "src/a.ts", sessionId: "aaaaaaaa-1111", identity: "claude-aaaaaaaa", at: NOW - 3 * MIN, unchangedSince: true }];
  test("refuses, even a path I have claimed myself", () => {
    const mine = { id: "t-1", title: "mine", status: "in_progress", assignee: "claude-bbbbbbbb", updatedAt: "", priority: 2, files: ["src/"], blockedBy: [] };
    const d = decide({ path: "src/a.ts", me: "claude-bbbbbbbb", claims: [mine], pending });
    expect(d.verdict).toBe("deny");
    expect(d.rule).toBe("edited-by-other");
  });
  test("the card names the session, when, and how to coordinate", () => {
    const d = decide({ path: "src/a.ts", me: "claude-bbbbbbbb", claims: [], pending });
    const text = renderCard(decisionCard(d, "Write", NOW) ?? { what: "", why: [], whose: "", next: [] });
    expect(text).toContain("coord: refused Write of src/a.ts");
    expect(text).toContain("claude-aaaaaaaa (aaaaaaaa) 3m ago");
    expect(text).toContain("whose: claude-aaaaaaaa (you are claude-bbbbbbbb)");
    expect(text).toContain(`git commit -m "<message>" -- src/a.ts`);
  });
  test("without pending edits the path is simply unclaimed", () => {
    expect(decide({ path: "src/a.ts", me: "claude-bbbbbbbb", claims: [] }).verdict).toBe("allow");
  });
});
