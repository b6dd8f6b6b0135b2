// Claimed uncommitted work outlives its session: the pure rules behind the journal and the git sweep checks.
import { describe, expect, test } from "bun:test";
import type { Bead } from "../../src/core/claims";
import { type PendingEdit, type SessionLike, type StatusEntry, heldClaim, stillTheirs } from "../../src/core/live";
import { sweptWork } from "../../src/core/policy";
import { pendingCard, renderCard } from "../../src/core/render";

const NOW = Date.parse("2026-12-01T12:00:00Z");
const IDLE = 30 * 60_000;
const A = "claude-aaaaaaaa";
const ME = { sessionId: "bbbbbbbb-2222", identity: "claude-bbbbbbbb" };
const bead = (id: string, assignee: string, files: string[], status = "in_progress"): Bead => ({ id, title: `Work ${id}`, status, assignee, updatedAt: "2026-12-01T11:00:00Z", priority: 2, files, blockedBy: [] });
const ended: SessionLike = { sessionId: "aaaaaaaa-1111", identity: A, lastSeen: NOW - 60_000, endedAt: NOW - 60_000 };
const live: SessionLike = { ...ended, endedAt: null };
const idle: SessionLike = { ...ended, endedAt: null, lastSeen: NOW - IDLE - 1 };
const changed = (path: string, x = " ", y = "M"): StatusEntry => ({ x, y, path });

describe("an edit recorded for a session", () => {
  test("counts as its author's while the session is live, claim or not", () => {
    expect(stillTheirs({ identity: A }, live, [], NOW, IDLE)).toBe(true);
  });

  test("still counts after the session ended or went idle, while its identity holds an in-progress claim", () => {
    const claims = [bead("t-1", A, ["src/api/"])];
    expect(stillTheirs({ identity: A }, ended, claims, NOW, IDLE)).toEqual(claims[0] as Bead);
    expect(stillTheirs({ identity: A }, idle, claims, NOW, IDLE)).toEqual(claims[0] as Bead);
    // The claim keeps all of the owner's uncommitted work, not only the files its Files: names.
    expect(stillTheirs({ identity: A }, null, claims, NOW, IDLE)).not.toBeNull();
  });

  test("stops counting once the session is gone and the claim is closed, released or someone else's", () => {
    expect(stillTheirs({ identity: A }, ended, [], NOW, IDLE)).toBeNull();
    expect(stillTheirs({ identity: A }, ended, [bead("t-1", A, ["src/"], "open")], NOW, IDLE)).toBeNull();
    expect(stillTheirs({ identity: A }, ended, [bead("t-1", "claude-cccccccc", ["src/"])], NOW, IDLE)).toBeNull();
    expect(heldClaim("", [bead("t-1", "", ["src/"])])).toBeNull();
  });
});

describe("what a sweeping git command would take", () => {
  const claims = [bead("t-1", A, ["src/api/"]), bead("t-2", ME.identity, ["src/web/"]), bead("t-3", "", ["lib/"])];
  const scope = [changed("src/api/x.ts"), changed("src/web/y.ts"), changed("README.md"), changed("lib/z.ts"), { x: "R", y: " ", path: "docs/new.md", from: "src/api/old.md" }];

  test("includes every changed file another identity's claim covers, with no session or journal record", () => {
    const work = sweptWork({ scope, recorded: [], mine: new Set(), claims, me: ME });
    expect(work.map((w) => w.file).sort()).toEqual(["src/api/old.md", "src/api/x.ts"]);
    expect(work[0]).toMatchObject({ identity: A, sessionId: "", at: null, heldBy: { id: "t-1", title: "Work t-1" } });
  });

  test("leaves out my own claim's files, unowned claims and unclaimed files", () => {
    const files = sweptWork({ scope, recorded: [], mine: new Set(), claims, me: ME }).map((w) => w.file);
    expect(files).not.toContain("src/web/y.ts");
    expect(files).not.toContain("lib/z.ts");
    expect(files).not.toContain("README.md");
  });

  test("leaves out a claimed file this session wrote last (its own change)", () => {
    const files = sweptWork({ scope, recorded: [], mine: new Set(["src/api/x.ts"]), claims, me: ME }).map((w) => w.file);
    expect(files).not.toContain("src/api/x.ts");
  });

  test("keeps the journal's records and does not repeat their files", () => {
    const rec: PendingEdit = { file: "src/api/x.ts", sessionId: "aaaaaaaa-1111", identity: A, at: NOW - 120_000, unchangedSince: true, heldBy: { id: "t-1", title: "Work t-1" } };
    const work = sweptWork({ scope, recorded: [rec, { ...rec, file: "README.md", heldBy: null }], mine: new Set(), claims, me: ME });
    expect(work.filter((w) => w.file === "src/api/x.ts")).toEqual([rec]);
    expect(work.map((w) => w.file)).toContain("README.md");
  });
});

describe("the refusal card for an ended owner's work", () => {
  test("says the session ended, that the claim keeps the work theirs, and how it is released", () => {
    const rec: PendingEdit = { file: "src/api/x.ts", sessionId: "aaaaaaaa-1111", identity: A, at: NOW - 120_000, unchangedSince: true, heldBy: { id: "t-1", title: "Work t-1" } };
    const byClaim: PendingEdit = { file: "src/api/y.ts", sessionId: "", identity: A, at: null, unchangedSince: null, heldBy: { id: "t-1", title: "Work t-1" } };
    const card = renderCard(pendingCard([rec, byClaim], "refused git reset --hard: it would take away another's uncommitted work", ME.identity, NOW));
    expect(card).toContain('src/api/x.ts was changed by claude-aaaaaaaa (session aaaaaaaa, now ended) 2m ago and is not committed; t-1 "Work t-1" is still in progress, so it is still theirs');
    expect(card).toContain('src/api/y.ts has uncommitted changes and t-1 "Work t-1", in progress for claude-aaaaaaaa, claims it');
    expect(card).toContain("it stays theirs while t-1 is in progress");
    expect(card).not.toContain("allowed once that session commits or ends");
  });
});
