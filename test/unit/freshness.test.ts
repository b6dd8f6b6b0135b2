// The policy for checks made on out-of-date claims: which edits wait for current claims, and the card.
import { describe, expect, test } from "bun:test";
import type { Bead } from "../../src/core/claims";
import { type ClaimsState, claimsNote, gateOnFreshness, mustWaitForClaims } from "../../src/core/freshness";
import { decide } from "../../src/core/policy";
import type { Zone } from "../../src/core/zones";

const ME = "claude-bbbbbbbb";
const claim = (id: string, assignee: string, files: string[]): Bead => ({ id, title: id, status: "in_progress", assignee, updatedAt: "2026-12-01T00:00:00Z", priority: 2, files, blockedBy: [] });
/** What the stale snapshot says: A holds src/api/, I hold docs/, nobody holds lib/. */
const CLAIMS = [claim("t-a", "claude-aaaaaaaa", ["src/api/"]), claim("t-me", ME, ["docs/"]), claim("t-x", "", ["lib/"])];
const STABLE: Zone[] = [{ name: "vendor", kind: "stable", paths: ["vendor/**"], note: "" }];
const on = (path: string) => decide({ path, me: ME, claims: CLAIMS, zones: STABLE });
const unclaimed = on("src/free.ts");

const stale = (over: Partial<Extract<ClaimsState, { freshness: "stale" }>> = {}): ClaimsState => ({
  freshness: "stale",
  ageMs: 85_000,
  dbChanged: true,
  pending: true,
  reason: "bd has not answered within 2000 ms (the refresh goes on in the background)",
  ...over,
});

describe("an edit of a file the stale claims do not cover", () => {
  test("waits when the database changed and bd is still answering", () => {
    expect(unclaimed.verdict).toBe("allow");
    expect(mustWaitForClaims(stale(), unclaimed)).toBe(true);
    // A stable-zone question is no claim either.
    expect(on("vendor/x.js").verdict).toBe("ask");
    expect(mustWaitForClaims(stale(), on("vendor/x.js"))).toBe(true);
  });

  test("goes ahead on the stale claims when bd failed outright (the failure is a note, not a lock-out)", () => {
    expect(mustWaitForClaims(stale({ pending: false, reason: "bd could not be started (not found on PATH)" }), unclaimed)).toBe(false);
  });

  test("goes ahead when the database did not change (or that cannot be told)", () => {
    expect(mustWaitForClaims(stale({ dbChanged: false }), unclaimed)).toBe(false);
  });

  test("waits when there are no claims yet and bd is still answering; not when bd failed", () => {
    expect(mustWaitForClaims({ freshness: "none", pending: true, reason: "bd has not answered within 2000 ms" }, unclaimed)).toBe(true);
    expect(mustWaitForClaims({ freshness: "none", pending: false, reason: "bd list failed (exit 1)" }, unclaimed)).toBe(false);
  });

  test("never waits on current claims", () => {
    expect(mustWaitForClaims({ freshness: "fresh" }, unclaimed)).toBe(false);
    expect(mustWaitForClaims({ freshness: "refreshed" }, unclaimed)).toBe(false);
  });
});

describe("an edit of a file the stale claims cover", () => {
  test("another's claim keeps its own refusal card (it names the owner)", () => {
    expect(on("src/api/x.ts").verdict).toBe("deny");
    expect(mustWaitForClaims(stale(), on("src/api/x.ts"))).toBe(false);
    expect(gateOnFreshness(stale(), on("src/api/x.ts"), "Write of src/api/x.ts", ME)).toBeNull();
  });

  test("the session's own claim, or a claim without an owner, lets the old claims decide", () => {
    expect(on("docs/a.md").rule).toBe("mine");
    expect(mustWaitForClaims(stale(), on("docs/a.md"))).toBe(false);
    expect(on("lib/a.ts").rule).toBe("unassigned-claim");
    expect(mustWaitForClaims(stale(), on("lib/a.ts"))).toBe(false);
  });
});

describe("the retry card", () => {
  const card = gateOnFreshness(stale(), unclaimed, "Write of src/a.ts", ME) ?? "";

  test("is one card in the common layout: what, why, whose, next", () => {
    expect(card.split("\n")[0]).toBe("coord: refused Write of src/a.ts until the current claims are known");
    expect(card).toMatch(/\n {2}why: {3}the beads database changed after the claims coord holds were read \(85s ago\)/);
    expect(card).toMatch(/\n {2}whose: unknown until then \(you are claude-bbbbbbbb\)/);
    expect(card).toMatch(/\n {2}next: {2}retry the same edit in a few seconds/);
  });

  test("says why bd's answer is missing", () => {
    expect(card).toContain("bd has not answered within 2000 ms");
  });

  test("for a commit, names the commit to retry and the gate's own way past, last", () => {
    const commit = gateOnFreshness(stale(), unclaimed, "commit of src/a.ts", ME, { retry: "the commit", after: ["bypass deliberately: git commit --no-verify"] }) ?? "";
    expect(commit.split("\n")[0]).toBe("coord: refused commit of src/a.ts until the current claims are known");
    expect(commit).toMatch(/\n {2}next: {2}retry the commit in a few seconds/);
    expect(commit.trimEnd().split("\n").at(-1)?.trim()).toBe("bypass deliberately: git commit --no-verify");
  });

  test("is not given when the claims are current", () => {
    expect(gateOnFreshness({ freshness: "fresh" }, unclaimed, "Write of a", null)).toBeNull();
    expect(gateOnFreshness(null, unclaimed, "Write of a", null)).toBeNull();
  });
});

describe("the note for the session", () => {
  test("says how old the claims are and that the database changed", () => {
    expect(claimsNote(stale())).toBe("coord: bd has not answered within 2000 ms (the refresh goes on in the background); the beads database changed since; deciding on claims from 85s ago");
    expect(claimsNote(stale({ dbChanged: false, ageMs: 4000, reason: "bd list failed (exit 1)" }))).toBe("coord: bd list failed (exit 1); deciding on claims from 4s ago");
  });

  test("says when there are no claims at all, and nothing when they are current", () => {
    expect(claimsNote({ freshness: "none", pending: false, reason: "bd could not be started" })).toBe("coord: bd could not be started; no earlier claims to fall back on");
    expect(claimsNote({ freshness: "fresh" })).toBeNull();
    expect(claimsNote({ freshness: "refreshed" })).toBeNull();
  });
});
