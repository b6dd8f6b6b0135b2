// Worktree plans: given the facts, a refusal card or the exact steps. No git here.
import { describe, expect, test } from "bun:test";
import { classify, intersect, pairsOf, renderPairs } from "../../src/wt/conflicts";
import type { StatusV2Entry, WorktreeEntry } from "../../src/wt/parse";
import {
  type DoneFacts,
  type NewFacts,
  type RmFacts,
  EXCLUDE_LINES,
  backupsToPrune,
  findWorktree,
  mergeKind,
  nameProblems,
  nextIndex,
  planDone,
  planNew,
  planRm,
  selectCopies,
  worktreeFolder,
  worktreeName,
} from "../../src/wt/plan";

const H = (c: string) => c.repeat(40);

describe("worktree names", () => {
  test.each(["api", "api-v2", "fix_123", "v1.2", "UPPER"])("%s is accepted", (n) => {
    expect(nameProblems(n)).toEqual([]);
  });

  test.each([
    ["", "empty"],
    ["a b", "a space"],
    ["x/y", '"/"'],
    ["-x", 'starts with "-"'],
    [".hidden", 'starts with "."'],
    ["x.", 'ends with "."'],
    ["x.lock", ".lock"],
    ["a..b", '".."'],
    ["a@{b", '"@{"'],
    ["@", '"@" alone'],
    ["a~1", '"~"'],
    ["a:b", '":"'],
    ["what?", '"?"'],
    ["a*", '"*"'],
    ["a[b", '"["'],
    ["a\\b", '"\\\\"'],
    ["tab\there", '"\\t"'],
    ["x".repeat(101), "101 characters"],
  ])("%j is refused, saying %s", (n, why) => {
    const p = nameProblems(n);
    expect(p.length).toBeGreaterThan(0);
    expect(p.join(" ")).toContain(why);
  });

  test("the folder sits next to the main checkout", () => {
    expect(worktreeFolder("/src/shop", "api")).toBe("/src/shop-api");
  });
});

const wt = (path: string, branch: string | null, extra: Partial<WorktreeEntry> = {}): WorktreeEntry => ({
  path,
  head: H("b"),
  branch,
  bare: false,
  detached: branch === null,
  locked: null,
  prunable: null,
  ...extra,
});

describe("finding a worktree by name", () => {
  const entries = [wt("/r/shop", "refs/heads/main"), wt("/r/shop-api", "refs/heads/work/api"), wt("/elsewhere/hotfix", "refs/heads/hotfix"), wt("/r/shop-exp", null)];

  test("by its work/<name> branch, by its folder, by a plain branch", () => {
    expect(findWorktree(entries, "api", "/r/shop")?.path).toBe("/r/shop-api");
    expect(findWorktree(entries, "exp", "/r/shop")?.path).toBe("/r/shop-exp");
    expect(findWorktree(entries, "hotfix", "/r/shop")?.path).toBe("/elsewhere/hotfix");
  });

  test("never the main checkout", () => {
    expect(findWorktree(entries, "main", "/r/shop")).toBeNull();
  });

  test("names worktrees made by other means after their folder", () => {
    expect(entries.map((e) => worktreeName(e, "/r/shop"))).toEqual(["shop", "api", "hotfix", "exp"]);
  });
});

const newFacts = (o: Partial<NewFacts> = {}): NewFacts => ({
  name: "api",
  mainRoot: "/r/shop",
  commonDir: "/r/shop/.git",
  baseRef: "main",
  baseCommit: H("a"),
  targetExists: false,
  branchExists: false,
  registeredAt: false,
  copies: [".env"],
  excludeHas: [],
  usedIndexes: [],
  ...o,
});

describe("wt new", () => {
  test("adds the worktree first, then copies, makes the test-database folder and ignores it", () => {
    const p = planNew(newFacts());
    if (!p.ok) throw new Error(p.card.what);
    expect(p.steps).toEqual([
      { op: "worktree-add", path: "/r/shop-api", branch: "work/api", commit: H("a") },
      { op: "copy", rel: ".env", from: "/r/shop/.env", to: "/r/shop-api/.env" },
      { op: "mkdir", path: "/r/shop-api/.coord/db" },
      { op: "index", path: "/r/shop-api/.coord/index", index: 1 },
      { op: "exclude", file: "/r/shop/.git/info/exclude", lines: EXCLUDE_LINES },
    ]);
    expect(p.next).toEqual(["cd /r/shop-api", "claude"]);
  });

  test("numbers the worktree with the smallest number no other worktree holds", () => {
    const p = planNew(newFacts({ usedIndexes: [1, 3] }));
    expect(p.ok && p.steps.find((s) => s.op === "index")).toEqual({ op: "index", path: "/r/shop-api/.coord/index", index: 2 });
    expect(nextIndex([])).toBe(1);
    expect(nextIndex([2])).toBe(1);
  });

  test("does not add exclude lines that are already there", () => {
    const p = planNew(newFacts({ excludeHas: [...EXCLUDE_LINES] }));
    expect(p.ok && p.steps.some((s) => s.op === "exclude")).toBe(false);
  });

  test("refuses an existing folder and an existing branch, naming both", () => {
    const p = planNew(newFacts({ targetExists: true, branchExists: true }));
    expect(p.ok).toBe(false);
    if (p.ok) return;
    expect(p.card.why.join("\n")).toContain("/r/shop-api already exists");
    expect(p.card.why.join("\n")).toContain("work/api already exists");
  });

  test("refuses a bad name before anything else", () => {
    const p = planNew(newFacts({ name: "a b", targetExists: true }));
    expect(!p.ok && p.card.what).toContain('named "a b"');
  });

  test("refuses a base that names no commit", () => {
    const p = planNew(newFacts({ baseRef: "nope", baseCommit: null }));
    expect(!p.ok && p.card.why[0]).toBe("nope does not name a commit");
  });

  test("quotes a folder with spaces in the printed cd", () => {
    const p = planNew(newFacts({ mainRoot: "/r/my shop", commonDir: "/r/my shop/.git" }));
    expect(p.ok && p.next[0]).toBe("cd '/r/my shop-api'");
  });
});

test("copies the local settings and the .worktreeinclude matches git ignores, nothing else", () => {
  expect(selectCopies(".claude/settings.local.json", [".env", "notes.txt", "node_modules/x.js"], new Set([".env", "node_modules/x.js"]))).toEqual([
    ".claude/settings.local.json",
    ".env",
    "node_modules/x.js",
  ]);
  expect(selectCopies(null, [], new Set())).toEqual([]);
});

test("merge kinds from the tip, the main branch and their merge base", () => {
  expect(mergeKind(H("a"), H("a"), H("a"))).toBe("up-to-date");
  expect(mergeKind(H("a"), H("b"), H("a"))).toBe("up-to-date");
  expect(mergeKind(H("a"), H("b"), H("b"))).toBe("fast-forward");
  expect(mergeKind(H("a"), H("b"), H("c"))).toBe("merge");
});

const st = (path: string, kind: StatusV2Entry["kind"] = "changed"): StatusV2Entry => ({ kind, xy: kind === "untracked" ? "??" : ".M", path, origPath: null });

const doneFacts = (o: Partial<DoneFacts> = {}): DoneFacts => ({
  name: "api",
  worktree: wt("/r/shop-api", "refs/heads/work/api", { head: H("t") }),
  mainRoot: "/r/shop",
  mainBranch: "refs/heads/main",
  mainHead: H("m"),
  mainBusy: null,
  tip: H("t"),
  base: H("m"),
  worktreeDirty: [],
  conflicts: null,
  target: H("t"),
  mergeError: null,
  changed: ["src/api.ts"],
  mainDirty: [],
  inTheWay: [],
  backup: { existing: null, existingMerged: false, now: 1_700_000_000_000 },
  ...o,
});

describe("wt done", () => {
  test("fast-forward: backup first, then main, then the worktree and its branch", () => {
    const p = planDone(doneFacts());
    if (!p.ok) throw new Error(p.card.what);
    expect(p.kind).toBe("fast-forward");
    expect(p.steps.map((s) => s.op)).toEqual(["backup", "advance-main", "remove-worktree", "delete-branch"]);
    expect(p.steps[0]).toEqual({ op: "backup", ref: "refs/coord/backup/api", commit: H("t"), moveOld: null });
    expect(p.steps[1]).toEqual({ op: "advance-main", checkout: "/r/shop", branch: "refs/heads/main", from: H("m"), to: H("t") });
    expect(p.steps[3]).toEqual({ op: "delete-branch", ref: "refs/heads/work/api", expect: H("t") });
  });

  test("merge: main moves to the merge commit", () => {
    const p = planDone(doneFacts({ base: H("c"), target: H("n") }));
    expect(p.ok && p.kind).toBe("merge");
    expect(p.ok && p.steps[1]).toMatchObject({ op: "advance-main", to: H("n") });
  });

  test("a worktree with uncommitted changes is refused, every change listed", () => {
    const p = planDone(doneFacts({ worktreeDirty: [st("a.ts"), st("new.ts", "untracked")] }));
    expect(p.ok).toBe(false);
    if (p.ok) return;
    expect(p.card.why).toEqual(["modified: a.ts", "untracked: new.ts"]);
  });

  test("a conflicting merge is refused with the files and the promise that nothing changed", () => {
    const p = planDone(doneFacts({ base: H("c"), target: null, conflicts: ["a.ts", "b.ts"] }));
    expect(p.ok).toBe(false);
    if (p.ok) return;
    expect(p.card.why).toEqual(["conflict in a.ts", "conflict in b.ts"]);
    expect(p.card.next).toContain("nothing was changed");
  });

  test("uncommitted changes in the main checkout block only when the merge changes those files", () => {
    expect(planDone(doneFacts({ mainDirty: [st("README.md"), st("notes", "untracked")] })).ok).toBe(true);
    const p = planDone(doneFacts({ mainDirty: [st("README.md"), st("src/api.ts")] }));
    expect(!p.ok && p.card.why).toEqual(["modified: src/api.ts"]);
  });

  test("a rename in the main checkout whose old side the merge changes blocks too", () => {
    const p = planDone(doneFacts({ mainDirty: [{ kind: "renamed", xy: "R.", path: "src/new.ts", origPath: "src/api.ts" }] }));
    expect(p.ok).toBe(false);
  });

  test("an untracked file where the merge adds one blocks", () => {
    const p = planDone(doneFacts({ inTheWay: ["src/api.ts"] }));
    expect(!p.ok && p.card.why[0]).toContain("src/api.ts");
  });

  test("nothing to merge: no main step, the worktree still goes", () => {
    const p = planDone(doneFacts({ base: H("t"), target: null, changed: [] }));
    expect(p.ok && p.steps.map((s) => s.op)).toEqual(["backup", "remove-worktree", "delete-branch"]);
  });

  test("an unmerged older backup of the same name is moved aside, never overwritten", () => {
    const p = planDone(doneFacts({ backup: { existing: H("o"), existingMerged: false, now: 1_700_000_000_000 } }));
    expect(p.ok && p.steps[0]).toEqual({ op: "backup", ref: "refs/coord/backup/api", commit: H("t"), moveOld: { from: "refs/coord/backup/api", to: "refs/coord/backup-old/api/1700000000", commit: H("o") } });
    const merged = planDone(doneFacts({ backup: { existing: H("o"), existingMerged: true, now: 0 } }));
    expect(merged.ok && merged.steps[0]).toMatchObject({ moveOld: null });
  });

  test("refuses a detached main checkout, a busy one, a locked worktree, an unknown name", () => {
    expect(planDone(doneFacts({ mainBranch: null })).ok).toBe(false);
    expect(planDone(doneFacts({ mainBusy: "rebase" })).ok).toBe(false);
    expect(planDone(doneFacts({ worktree: wt("/r/shop-api", "refs/heads/work/api", { locked: "" }) })).ok).toBe(false);
    const p = planDone(doneFacts({ worktree: null }));
    expect(!p.ok && p.card.what).toBe("no worktree named api");
  });
});

const rmFacts = (o: Partial<RmFacts> = {}): RmFacts => ({
  name: "api",
  worktree: wt("/r/shop-api", "refs/heads/work/api", { head: H("t") }),
  mainRoot: "/r/shop",
  mainBranch: "refs/heads/main",
  tip: H("t"),
  merged: true,
  worktreeDirty: [],
  snapshot: null,
  force: false,
  backup: { existing: null, existingMerged: false, now: 0 },
  ...o,
});

describe("wt rm", () => {
  test("removes a clean, merged worktree and its branch", () => {
    const p = planRm(rmFacts());
    expect(p.ok && p.steps.map((s) => s.op)).toEqual(["backup", "remove-worktree", "delete-branch"]);
  });

  test("refuses when uncommitted or unmerged work would be lost", () => {
    const p = planRm(rmFacts({ merged: false, worktreeDirty: [st("x.ts")] }));
    expect(p.ok).toBe(false);
    if (p.ok) return;
    expect(p.card.why).toEqual(["uncommitted: modified: x.ts", "work/api has commits that are not in main"]);
    expect(p.card.next.join("\n")).toContain("--force");
  });

  test("--force keeps the uncommitted work in the backup ref and says how to restore it", () => {
    const p = planRm(rmFacts({ merged: false, worktreeDirty: [st("x.ts")], force: true, snapshot: H("s") }));
    if (!p.ok) throw new Error(p.card.what);
    expect(p.steps[0]).toMatchObject({ op: "backup", commit: H("s") });
    expect(p.steps[1]).toEqual({ op: "remove-worktree", path: "/r/shop-api", force: true });
    expect(p.next.join("\n")).toContain("coord wt new api --from refs/coord/backup/api");
  });
});

describe("conflict prediction, the pure part", () => {
  test("every unordered pair once", () => {
    expect(pairsOf(["main", "a", "b"])).toEqual([
      ["main", "a"],
      ["main", "b"],
      ["a", "b"],
    ]);
  });

  test("files both changed split into would-conflict and both-touched", () => {
    expect(intersect(["x", "y", "z"], ["z", "y", "q"])).toEqual(["y", "z"]);
    expect(classify("a", "b", ["x", "y", "z"], ["y", "z"], ["z"])).toEqual({ a: "a", b: "b", wouldConflict: ["z"], bothTouched: ["y"] });
    expect(classify("a", "b", ["x"], ["y"], null)).toEqual({ a: "a", b: "b", wouldConflict: [], bothTouched: [] });
  });

  test("renders only pairs that overlap", () => {
    const lines = renderPairs([
      { a: "main", b: "api", wouldConflict: ["a.ts"], bothTouched: ["b.ts"] },
      { a: "api", b: "web", wouldConflict: [], bothTouched: [] },
    ]);
    expect(lines).toEqual(["main <> api: WOULD CONFLICT in a.ts", "main <> api: both touched b.ts (merges cleanly today)"]);
    expect(renderPairs([])).toEqual(["no two checkouts have changed the same file"]);
  });
});

describe("backup refs", () => {
  const refs = [
    { ref: "refs/coord/backup/a", time: 100 },
    { ref: "refs/coord/backup/b", time: 300 },
    { ref: "refs/coord/backup-old/a/50", time: 50 },
    { ref: "refs/coord/backup/c", time: 200 },
  ];

  test("all but the newest few are pruned, oldest first to go", () => {
    expect(backupsToPrune(refs, 2)).toEqual(["refs/coord/backup/a", "refs/coord/backup-old/a/50"]);
    expect(backupsToPrune(refs, 10)).toEqual([]);
  });

  test("the backup just written is never pruned, whatever its commit's age", () => {
    expect(backupsToPrune(refs, 1, ["refs/coord/backup-old/a/50"])).toEqual(["refs/coord/backup/b", "refs/coord/backup/c", "refs/coord/backup/a"]);
    expect(backupsToPrune(refs, 2, ["refs/coord/backup/a"])).toEqual(["refs/coord/backup/c", "refs/coord/backup-old/a/50"]);
  });
});
