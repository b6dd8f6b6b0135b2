// Decisions as scenarios: who holds what, who edits what.
import { describe, expect, test } from "bun:test";
import type { Bead } from "../../src/core/claims";
import { decide } from "../../src/core/policy";
import { decisionCard, decisionNote, renderCard } from "../../src/core/render";
import type { Zone } from "../../src/core/zones";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const bead = (id: string, assignee: string, files: string[], extra: Partial<Bead> = {}): Bead => ({
  id,
  title: `work ${id}`,
  status: "in_progress",
  assignee,
  updatedAt: "2026-11-25T11:55:00Z",
  priority: 2,
  files,
  blockedBy: [],
  ...extra,
});

describe("the edit guard decides", () => {
  const claims = [bead("t-1", "alice", ["src/api/"]), bead("t-2", "bob", ["src/db/schema.ts"]), bead("t-3", "", ["scripts/*.sh"])];

  test("another session's claimed file is refused", () => {
    const d = decide({ path: "src/api/routes.ts", me: "bob", claims });
    expect(d.verdict).toBe("deny");
    expect(d.rule).toBe("claimed-by-other");
    expect(d.facts.others.map((h) => h.bead.id)).toEqual(["t-1"]);
  });

  test("my own claimed file is allowed", () => {
    expect(decide({ path: "src/api/routes.ts", me: "alice", claims }).verdict).toBe("allow");
    expect(decide({ path: "src/api/routes.ts", me: "alice", claims }).rule).toBe("mine");
  });

  test("an unclaimed file is allowed", () => {
    expect(decide({ path: "README.md", me: "alice", claims }).rule).toBe("unclaimed");
  });

  test("a session without identity is refused on every claimed file", () => {
    expect(decide({ path: "src/api/x.ts", me: null, claims }).verdict).toBe("deny");
  });

  test("an unassigned in-progress claim warns but lets the edit through", () => {
    const d = decide({ path: "scripts/deploy.sh", me: "alice", claims });
    expect(d.verdict).toBe("warn");
    expect(decisionNote(d)).toContain("t-3");
  });

  test("my claim does not override another session's claim on the same file", () => {
    const both = [...claims, bead("t-4", "bob", ["src/api/routes.ts"])];
    const d = decide({ path: "src/api/routes.ts", me: "bob", claims: both });
    expect(d.verdict).toBe("deny");
    expect(d.facts.mine.map((h) => h.bead.id)).toEqual(["t-4"]);
  });

  test("every owner of overlapping claims is named", () => {
    const both = [...claims, bead("t-5", "carol", ["src/**/*.ts"])];
    const d = decide({ path: "src/api/routes.ts", me: "bob", claims: both });
    const card = renderCard(decisionCard(d, "Write", NOW)!);
    expect(card).toContain("alice");
    expect(card).toContain("carol");
    expect(card).toContain("t-5");
  });
});

describe("zones", () => {
  const zones: Zone[] = [
    { name: "types", kind: "shared", paths: ["src/types/"], note: "" },
    { name: "entry", kind: "stable", paths: ["src/main.ts"], note: "the CLI entry" },
    { name: "api", kind: "owned", paths: ["src/api/"], note: "" },
  ];

  test("a shared file needs a claim of my own", () => {
    const d = decide({ path: "src/types/user.ts", me: "alice", claims: [], zones });
    expect(d.verdict).toBe("deny");
    expect(d.rule).toBe("shared-zone");
    expect(renderCard(decisionCard(d, "Edit", NOW)!)).toContain("coord claim");
  });

  test("a shared file with my claim is allowed", () => {
    const d = decide({ path: "src/types/user.ts", me: "alice", claims: [bead("t-9", "alice", ["src/types/user.ts"])], zones });
    expect(d.verdict).toBe("allow");
  });

  test("a stable file asks, with the zone's note", () => {
    const d = decide({ path: "src/main.ts", me: "alice", claims: [], zones });
    expect(d.verdict).toBe("ask");
    expect(decisionNote(d)).toContain("the CLI entry");
  });

  test("an owned zone behaves like no zone", () => {
    expect(decide({ path: "src/api/x.ts", me: "alice", claims: [], zones }).verdict).toBe("allow");
  });
});

describe("the collision card", () => {
  test("has the fixed layout: what, why, whose, next", () => {
    const d = decide({ path: "src/api/routes.ts", me: "bob", claims: [bead("t-1", "alice", ["src/api/"])] });
    const lines = renderCard(decisionCard(d, "Write", NOW)!).split("\n");
    expect(lines[0]).toBe("coord: refused Write of src/api/routes.ts");
    expect(lines[1]).toStartWith("  why:");
    expect(lines[1]).toContain("updated 5m ago");
    expect(lines[2]).toBe("  whose: alice (you are bob)");
    expect(lines[3]).toStartWith("  next:");
    expect(lines.join("\n")).toContain("bd ready");
    expect(lines.join("\n")).toContain("coord wt new");
  });
});
