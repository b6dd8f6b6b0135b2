// The edit guard's overlap check: when a cached change list is trusted, and the warning it gives.
import { describe, expect, test } from "bun:test";
import { type CheckoutFiles, CHANGES_TTL_MS, isFresh, othersChanging, overlapNote } from "../../src/wt/overlap";

const c: CheckoutFiles = { path: "/r/shop-api", gitDir: "/r/shop/.git/worktrees/shop-api", branch: "refs/heads/work/api", head: "a".repeat(40), indexStamp: "1:2:3", main: false };
const rec = (o: Record<string, unknown> = {}) =>
  ({ version: 1, path: c.path, head: c.head, indexStamp: c.indexStamp, mainTip: "m".repeat(40), computedAt: 1000, files: ["x.ts"], touched: {}, ...o }) as Parameters<typeof isFresh>[0];

describe("a cached change list", () => {
  test("is trusted while HEAD, index and the main branch stay put, within its lifetime", () => {
    expect(isFresh(rec(), c, "m".repeat(40), 2000)).toBe(true);
  });

  test("is recomputed when any of them moves, or when it is old", () => {
    expect(isFresh(rec({ head: "b".repeat(40) }), c, "m".repeat(40), 2000)).toBe(false);
    expect(isFresh(rec({ indexStamp: "9:9:9" }), c, "m".repeat(40), 2000)).toBe(false);
    expect(isFresh(rec(), c, "n".repeat(40), 2000)).toBe(false);
    expect(isFresh(rec(), c, "m".repeat(40), 1000 + CHANGES_TTL_MS)).toBe(false);
    expect(isFresh(rec({ files: null }), c, "m".repeat(40), 2000)).toBe(false);
    expect(isFresh(null, c, "m".repeat(40), 2000)).toBe(false);
  });
});

describe("the warning", () => {
  test("names each worktree with its folder and branch, and the main checkout", () => {
    const note = overlapNote("src/a.ts", [
      { name: "api", path: "/r/shop-api", branch: "work/api", main: false },
      { name: "main checkout", path: "/r/shop", branch: "main", main: true },
    ]);
    expect(note).toBe(
      "coord: warning: src/a.ts has also been changed in worktree api (/r/shop-api, branch work/api) and the main checkout (/r/shop); editing it here may conflict when the work is merged (coord wt list shows the overlaps)",
    );
    expect(overlapNote("src/a.ts", [])).toBeNull();
  });

  test("is skipped in a repository without worktrees", async () => {
    const repo = { root: "/nonexistent/r", gitDir: "/nonexistent/r/.git", commonDir: "/nonexistent/r/.git", mainRoot: "/nonexistent/r" };
    expect(await othersChanging(repo, "a.ts", 0)).toEqual([]);
  });
});
