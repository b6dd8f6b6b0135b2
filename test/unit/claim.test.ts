// coord claim's pure parts: reading `bd show --json` (captured from bd 1.0.5) and the overlap check;
// coord init's choice of top-level folders.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseBdList, parseBdShow } from "../../src/core/claims";
import { overlapsWithOthers, readyOverlaps } from "../../src/core/policy";
import { overlapCard } from "../../src/core/render";
import type { Bead } from "../../src/core/claims";
import { renderCard } from "../../src/core/render";

const fixture = (name: string) => readFileSync(join(import.meta.dir, "../fixtures", name), "utf8");

describe("bd show --json", () => {
  test("an array of one issue (what bd 1.0.5 prints) gives the bead and its Files:", () => {
    const b = parseBdShow(fixture("bd-show-1.0.5.json"));
    expect(b).toMatchObject({ id: "t-hj2", title: "Add API routes", status: "in_progress", assignee: "alice", files: ["src/api/", "src/db/schema.ts"] });
    expect(parseBdShow(fixture("bd-show-open-1.0.5.json"))).toMatchObject({ status: "open", assignee: "" });
  });

  test("a single object, or one wrapped in an envelope, reads the same", () => {
    const one = (JSON.parse(fixture("bd-show-1.0.5.json")) as unknown[])[0];
    expect(parseBdShow(JSON.stringify(one))?.id).toBe("t-hj2");
    expect(parseBdShow(JSON.stringify({ schema_version: 1, data: [one] }))?.id).toBe("t-hj2");
    expect(parseBdShow(JSON.stringify({ schema_version: 1, data: one }))?.id).toBe("t-hj2");
  });

  test("anything else is null, not a crash", () => {
    expect(parseBdShow("Error fetching x")).toBeNull();
    expect(parseBdShow("[]")).toBeNull();
    expect(parseBdShow('{"error":"no issues found matching the provided IDs","schema_version":1}')).toBeNull();
  });
});

const b = (id: string, assignee: string, files: string[], status = "in_progress"): Bead => ({ id, title: `t ${id}`, status, assignee, updatedAt: "", priority: 2, files, blockedBy: [] });

describe("the overlap check before a claim", () => {
  const mine = b("t-9", "", ["src/api/users.ts", "src/db/"], "open");
  const others = [
    b("t-1", "alice", ["src/api/"]),
    b("t-2", "bob", ["docs/"]),
    b("t-3", "me", ["src/db/schema.ts"]),
    b("t-4", "", ["src/db/x.ts"]),
    b("t-5", "carol", ["src/db/**"], "open"),
  ];

  test("names someone else's in-progress bead that shares a path, and only that", () => {
    const o = overlapsWithOthers(mine, others, "me");
    expect(o.map((x) => [x.other.id, x.mine, x.theirs])).toEqual([["t-1", "src/api/users.ts", "src/api/"]]);
  });

  test("the refusal card names the other bead and its owner, and how to override", () => {
    const card = renderCard(overlapCard(mine, overlapsWithOthers(mine, others, "me"), "me"));
    expect(card).toContain('refused to claim t-9 "t t-9"');
    expect(card).toContain("t-1");
    expect(card).toContain("alice (you are me)");
    expect(card).toContain("coord claim t-9 --force");
  });

  test("a bead without files overlaps nothing", () => {
    expect(overlapsWithOthers(b("t-8", "", [], "open"), others, "me")).toEqual([]);
  });
});

describe("the beads bd ready --claim may take, against the claims", () => {
  // Captured: `bd ready --json --limit 0` beside alice's in-progress claim of src/b/.
  const claims = [b("t-x", "alice", ["src/b/"])];
  for (const version of ["1.0.5", "1.3.0"]) {
    test(`bd ${version}'s list, in bd's order: the bead inside alice's folder overlaps, the other is free`, () => {
      const ready = parseBdList(fixture(`bd-ready-${version}.json`));
      expect(ready.map((r) => [r.title, r.files])).toEqual([
        ["three", ["src/b/x.ts"]],
        ["one", ["src/a/"]],
      ]);
      const { overlapping, free } = readyOverlaps(ready, claims, "me");
      expect(overlapping.map((o) => [o.bead.title, o.overlaps.map((x) => [x.other.id, x.theirs])])).toEqual([["three", [["t-x", "src/b/"]]]]);
      expect(free?.title).toBe("one");
      // alice's own ready --claim collides with nobody.
      expect(readyOverlaps(ready, claims, "alice")).toMatchObject({ overlapping: [], free: { title: "three" } });
    });
  }

  test("nothing ready, or only work that overlaps, leaves no free bead", () => {
    expect(readyOverlaps([], claims, "me")).toEqual({ overlapping: [], free: null });
    const inside = b("t-y", "", ["src/b/**/*.ts"], "open");
    expect(readyOverlaps([inside], claims, "me")).toMatchObject({ overlapping: [{ bead: { id: "t-y" } }], free: null });
  });
});
