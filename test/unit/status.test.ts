// The coord status model (the --json document) and its terminal rendering.
import { describe, expect, test } from "bun:test";
import type { Bead } from "../../src/core/claims";
import { COLOR, PLAIN, STATUS_SCHEMA, type StatusInput, renderStatus, statusModel } from "../../src/core/status";
import type { Zone } from "../../src/core/zones";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const hoursAgo = (h: number) => new Date(NOW - h * 3600_000).toISOString();

function bead(id: string, over: Partial<Bead> = {}): Bead {
  return { id, title: `title ${id}`, status: "in_progress", assignee: "alice", updatedAt: hoursAgo(1), priority: 2, files: [], blockedBy: [], ...over };
}

const zones: Zone[] = [
  { name: "api", kind: "owned", paths: ["src/api/"], note: "" },
  { name: "types", kind: "shared", paths: ["src/types/"], note: "everyone's" },
  { name: "docs", kind: "owned", paths: ["docs/"], note: "" },
];

const input: StatusInput = {
  repo: "/repo",
  me: "bob",
  beads: [
    bead("t-1", { files: ["src/api/routes.ts"] }),
    bead("t-2", { assignee: "bob", files: ["src/types/"] }),
    bead("t-3", { assignee: "carol", files: [], updatedAt: hoursAgo(30) }),
    bead("t-4", { status: "open", assignee: "", files: ["docs/guide.md"] }),
    bead("t-5", { status: "open", assignee: "", files: ["src/api/"] }),
  ],
  zones,
  sessions: [
    { identity: "bob", sessionId: "s-bob", cwd: "/repo", root: "/repo", startedAt: NOW - 3600_000, lastSeen: NOW - 60_000, endedAt: null },
    { identity: "alice", sessionId: "s-alice", cwd: "/repo/wt", root: "/repo/wt", startedAt: NOW - 7200_000, lastSeen: NOW - 2 * 3600_000, endedAt: null },
    { identity: "dan", sessionId: "s-dan", cwd: "/repo", root: "/repo", startedAt: NOW - 5 * 3600_000, lastSeen: NOW - 4 * 3600_000, endedAt: NOW - 4 * 3600_000 },
    { identity: "old", sessionId: "s-old", cwd: "/repo", root: "/repo", startedAt: NOW - 72 * 3600_000, lastSeen: NOW - 48 * 3600_000, endedAt: null },
  ],
  now: NOW,
  staleClaimHours: 24,
  sessionIdleMinutes: 30,
  claims: { freshness: "fresh", takenAt: NOW - 5000, note: null },
};
const m = statusModel(input);

describe("the status model", () => {
  test("is versioned", () => {
    expect(m.schema).toBe(STATUS_SCHEMA);
    expect(m.schema).toBe("coord.status/1");
    expect(m.generatedAt).toBe("2026-11-25T12:00:00.000Z");
    expect(m.identity).toBe("bob");
  });

  test("groups claims by owner, mine first", () => {
    expect(m.owners.map((o) => [o.owner, o.mine, o.beads.map((b) => b.id)])).toEqual([
      ["bob", true, ["t-2"]],
      ["alice", false, ["t-1"]],
      ["carol", false, ["t-3"]],
    ]);
  });

  test("flags in-progress beads without Files:", () => {
    expect(m.withoutFiles).toEqual([{ id: "t-3", title: "title t-3", owner: "carol" }]);
  });

  test("lists claims not updated within staleClaimHours", () => {
    expect(m.staleClaims.map((s) => [s.id, s.owner, s.hours])).toEqual([["t-3", "carol", 30]]);
    expect(m.owners.find((o) => o.owner === "carol")?.beads[0]?.stale).toBe(true);
  });

  test("says which zones are free and who holds the others", () => {
    expect(m.zones.map((z) => [z.name, z.state, z.claimedBy])).toEqual([
      ["api", "claimed", [{ id: "t-1", owner: "alice" }]],
      ["types", "claimed", [{ id: "t-2", owner: "bob" }]],
      ["docs", "free", []],
    ]);
  });

  test("shows sessions of the last day, newest first, with their state and claims", () => {
    expect(m.sessions.map((s) => [s.identity, s.state, s.holding])).toEqual([
      ["bob", "active", ["t-2"]],
      ["alice", "idle", ["t-1"]],
      ["dan", "ended", []],
    ]);
  });

  test("offers ready work that overlaps no claim", () => {
    expect(m.ready.map((r) => r.id)).toEqual(["t-4"]);
  });

  test("survives a JSON round trip unchanged", () => {
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });
});

describe("the terminal rendering", () => {
  const text = renderStatus(m, NOW, PLAIN);

  test("names owners, beads, files and the flagged ones", () => {
    expect(text).toContain("bob (you): 1");
    expect(text).toContain('t-1 "title t-1": src/api/routes.ts');
    expect(text).toContain("In progress without Files: (1)");
    expect(text).toContain("bd update t-3 --metadata");
    expect(text).toContain("Stale claims");
    expect(text).toMatch(/docs\s+owned\s+docs\/\s+free/);
    expect(text).toContain("claimed by alice (t-1)");
  });

  test("has no escape codes without colour, and some with", () => {
    expect(text).not.toContain("\x1b[");
    expect(renderStatus(m, NOW, COLOR)).toContain("\x1b[");
  });

  test("warns when the claims could not be read fresh", () => {
    const stale = statusModel({ ...input, claims: { freshness: "stale", takenAt: NOW - 60_000, note: "coord: bd list failed; using claims from 60s ago" } });
    expect(renderStatus(stale, NOW)).toContain("claims stale: bd list failed");
  });
});

describe("colour", () => {
  test("only on a terminal, never with NO_COLOR or TERM=dumb", async () => {
    const { useColor } = await import("../../src/cli/status");
    expect(useColor({}, true)).toBe(true);
    expect(useColor({}, false)).toBe(false);
    expect(useColor({}, undefined)).toBe(false);
    expect(useColor({ NO_COLOR: "1" }, true)).toBe(false);
    expect(useColor({ NO_COLOR: "" }, true)).toBe(false);
    expect(useColor({ TERM: "dumb" }, true)).toBe(false);
  });
});
