// Claim leases (bd 1.3.0): their state as banners, status and cards show it, and which claims a
// session lost to `bd reclaim`.
import { describe, expect, test } from "bun:test";
import { renderBanner } from "../../src/core/banner";
import type { Bead } from "../../src/core/claims";
import { BEAT_OPEN_MS, HEARTBEAT_BYTES, heartbeatStep, lastActive, leaseState, leaseText, lostClaims, lostClaimsNote, onlyHeartbeatBetween } from "../../src/core/lease";
import { decide } from "../../src/core/policy";
import { decisionCard, renderCard } from "../../src/core/render";
import { renderStatus, statusModel } from "../../src/core/status";

const NOW = Date.parse("2026-12-01T12:00:00Z");
const at = (minutesFromNow: number) => new Date(NOW + minutesFromNow * 60_000).toISOString();

function bead(id: string, over: Partial<Bead> = {}): Bead {
  return { id, title: `title ${id}`, status: "in_progress", assignee: "alice", updatedAt: at(-60), priority: 2, files: [`src/${id}/`], blockedBy: [], ...over };
}

describe("a claim's lease", () => {
  test.each([
    ["a claim made under bd 1.0.5 has none", {}, "none", ""],
    ["renewed a minute ago", { leaseExpiresAt: at(4) }, "live", "lease expires in 4m"],
    ["ran out two minutes ago", { leaseExpiresAt: at(-2) }, "expired", "lease expired 2m ago, reclaimable in 8m"],
    ["past bd reclaim's 10-minute grace", { leaseExpiresAt: at(-12) }, "reclaimable", "lease expired 12m ago, reclaimable"],
    ["an unreadable time counts as none", { leaseExpiresAt: "soon" }, "none", ""],
  ])("%s", (_, over, kind, text) => {
    const b = bead("t-1", over as Partial<Bead>);
    expect(leaseState(b, NOW).kind).toBe(kind as "none");
    expect(leaseText(b, NOW)).toBe(text);
  });

  test("a heartbeat counts as activity: the later of update and heartbeat", () => {
    expect(lastActive(bead("t-1", { updatedAt: at(-300), heartbeatAt: at(-1) }))).toBe(NOW - 60_000);
    expect(lastActive(bead("t-1", { updatedAt: at(-3) }))).toBe(NOW - 180_000);
  });
});

describe("lease state where claims are shown", () => {
  test("the banner line of a claim names its lease", () => {
    const banner = renderBanner({ me: "bob", beads: [bead("t-1", { leaseExpiresAt: at(-12) })], zones: [], now: NOW, staleClaimHours: 24 });
    expect(banner).toContain("t-1 alice: src/t-1/");
    expect(banner).toContain("(lease expired 12m ago, reclaimable)");
  });

  test("the refusal card says how long the other session's lease runs", () => {
    const d = decide({ path: "src/t-1/a.ts", me: "bob", claims: [bead("t-1", { leaseExpiresAt: at(3) })] });
    const card = renderCard(decisionCard(d, "Write", NOW)!);
    expect(card).toContain("(updated 1h ago, lease expires in 3m)");
  });

  const sessions = (alive: boolean) => [
    { identity: "alice", sessionId: "s-a", cwd: "/r", root: "/r", startedAt: NOW - 7200_000, lastSeen: alive ? NOW - 60_000 : NOW - 2 * 3600_000, endedAt: alive ? null : NOW - 2 * 3600_000 },
  ];
  const input = (alive: boolean, over: Partial<Bead>) => ({
    repo: "/r",
    me: "bob",
    beads: [bead("t-1", over)],
    zones: [],
    sessions: sessions(alive),
    now: NOW,
    staleClaimHours: 24,
    sessionIdleMinutes: 30,
    claims: { freshness: "fresh", takenAt: NOW, note: null },
  });

  test("status: a reclaimable claim of a session coord saw end suggests bd reclaim", () => {
    const m = statusModel(input(false, { leaseExpiresAt: at(-20) }));
    expect(m.owners[0]?.beads[0]?.lease).toBe("reclaimable");
    expect(m.staleClaims).toEqual([expect.objectContaining({ id: "t-1", ownerGone: true })]);
    expect(renderStatus(m, NOW)).toContain("its owner's sessions are gone: bd reclaim --id t-1");
  });

  test("status: the same claim of a live session (idle, its person away) is not offered for reclaim", () => {
    const m = statusModel(input(true, { leaseExpiresAt: at(-20) }));
    const text = renderStatus(m, NOW);
    expect(text).toContain("(lease expired 20m ago, reclaimable)");
    expect(text).toContain("ask alice to finish or release it");
    expect(text).not.toContain("bd reclaim");
  });

  test("status: an old claim that was heartbeated recently is not stale", () => {
    const m = statusModel(input(true, { updatedAt: at(-48 * 60), heartbeatAt: at(-1), leaseExpiresAt: at(4) }));
    expect(m.staleClaims).toEqual([]);
    expect(m.owners[0]?.beads[0]?.stale).toBe(false);
  });
});

describe("claims a session lost", () => {
  const beads = [
    bead("t-1", { status: "open", assignee: "" }),
    bead("t-2", { assignee: "carol" }),
    bead("t-3", { assignee: "bob" }),
  ];
  test("reclaimed (open, unassigned) and taken by another are news; still mine and closed (absent) are not", () => {
    const lost = lostClaims(["t-1", "t-2", "t-3", "t-9"], beads, "bob");
    expect(lost.map((l) => [l.id, l.now])).toEqual([
      ["t-1", "open"],
      ["t-2", "carol"],
    ]);
    const note = lostClaimsNote(lost) ?? "";
    expect(note).toContain("t-1 \"title t-1\" was reclaimed");
    expect(note).toContain("claim it again with coord claim t-1");
    expect(note).toContain("now claimed by carol");
  });
  test("nothing lost, nothing said", () => {
    expect(lostClaimsNote(lostClaims(["t-3"], beads, "bob"))).toBeNull();
  });
});

describe("a refresh whose key moved while bd read the claims", () => {
  const j = (size: number, ino = 7) => ({ ino, size });
  const read = { from: 1000, to: 2000 };
  const beat = (start: number, end: number | null) => ({ start, end });
  const ok = (grew: number, beats: { start: number; end: number | null }[], ino = 7) => onlyHeartbeatBetween(j(50_000), j(50_000 + grew, ino), read.from, read.to, beats);

  test("a heartbeat's few KB during the read: the answer holds under the later key", () => {
    expect(ok(4200, [beat(500, 1500)])).toBe(true);
    expect(ok(0, [beat(1900, 2500)])).toBe(true);
    expect(ok(HEARTBEAT_BYTES, [beat(1500, null)])).toBe(true);
  });
  test("a claim's 19 KB, even beside a heartbeat, keeps the earlier key (the next check asks bd)", () => {
    expect(ok(19_000, [beat(500, 1500)])).toBe(false);
    expect(ok(HEARTBEAT_BYTES + 1, [beat(500, 1500)])).toBe(false);
  });
  test("a small write with no heartbeat of coord's in the window proves nothing", () => {
    expect(ok(4200, [])).toBe(false);
    expect(ok(4200, [beat(100, 900)])).toBe(false);
    expect(ok(4200, [beat(2100, 2400)])).toBe(false);
    // A heartbeat child killed before it recorded its end counts only as long as bd heartbeat may run.
    expect(ok(4200, [beat(read.to - BEAT_OPEN_MS - 1, null)])).toBe(false);
  });
  test("a new journal (a gc) or a journal that shrank is never a heartbeat step", () => {
    expect(ok(100, [beat(500, 1500)], 8)).toBe(false);
    expect(ok(-100, [beat(500, 1500)])).toBe(false);
    expect(heartbeatStep(null, j(1))).toBe(false);
  });
});
