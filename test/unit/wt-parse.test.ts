// The git output parsers, on output captured from git 2.39 (test/fixtures/git/).
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseMergeTree, parseNames, parseStatusV2, parseWorktreeList, statusPaths } from "../../src/wt/parse";

const fixture = (name: string) => readFileSync(join(import.meta.dir, "../fixtures/git", name), "utf8");

describe("git worktree list --porcelain -z", () => {
  const list = parseWorktreeList(fixture("worktree-list.z"));

  test("lists the main checkout first, then every linked worktree", () => {
    expect(list.map((e) => e.path)).toEqual([
      "/tmp/wtcap/repo",
      "/tmp/wtcap/repo sp ace",
      "/tmp/wtcap/repo-det",
      "/tmp/wtcap/repo-gone",
      "/tmp/wtcap/repo-lk",
      "/tmp/wtcap/repo-one",
    ]);
    expect(list[0]?.branch).toBe("refs/heads/main");
  });

  test("keeps a path with spaces whole", () => {
    expect(list[1]).toMatchObject({ path: "/tmp/wtcap/repo sp ace", branch: "refs/heads/work/space", detached: false });
  });

  test("tells detached, prunable and locked worktrees apart", () => {
    expect(list[2]).toMatchObject({ detached: true, branch: null, head: "91bdd3128d6cdd87a3ee39c41848dfc0d25f80a7" });
    expect(list[3]?.prunable).toBe("gitdir file points to non-existent location");
    expect(list[4]?.locked).toBe("busy now");
    expect(list[5]).toMatchObject({ locked: null, prunable: null, bare: false });
  });
});

describe("git status --porcelain=v2 -z", () => {
  test("reads modified, staged, renamed, deleted and untracked entries, spaces included", () => {
    const s = parseStatusV2(fixture("status-v2.z"));
    expect(s).toEqual([
      { kind: "changed", xy: ".M", path: "a.txt", origPath: null },
      { kind: "renamed", xy: "R.", path: "b-renamed.txt", origPath: "b.txt" },
      { kind: "changed", xy: ".D", path: "d/e.txt", origPath: null },
      { kind: "changed", xy: "A.", path: "staged.txt", origPath: null },
      { kind: "untracked", xy: "??", path: "newdir/f.txt", origPath: null },
      { kind: "untracked", xy: "??", path: "un tracked.txt", origPath: null },
    ]);
  });

  test("counts both sides of a rename as changed paths", () => {
    expect(statusPaths(parseStatusV2(fixture("status-v2.z")))).toEqual(["a.txt", "b-renamed.txt", "b.txt", "d/e.txt", "newdir/f.txt", "staged.txt", "un tracked.txt"]);
  });

  test("reads an unmerged entry in the middle of a merge", () => {
    const s = parseStatusV2(fixture("status-v2-unmerged.z"));
    expect(s.find((e) => e.kind === "unmerged")).toEqual({ kind: "unmerged", xy: "UU", path: "a.txt", origPath: null });
    expect(s.map((e) => e.path)).toEqual(["d/e.txt", "only-lk.txt", "a.txt"]);
  });

  test("skips header lines and ignored entries in the path list", () => {
    const s = parseStatusV2("# branch.oid abc\0# branch.head main\0! build/out.o\0? new file\0");
    expect(s.map((e) => e.kind)).toEqual(["ignored", "untracked"]);
    expect(statusPaths(s)).toEqual(["new file"]);
  });
});

describe("git merge-tree --write-tree -z --name-only --no-messages", () => {
  test("a content conflict: exit 1, the tree, the conflicted file once", () => {
    expect(parseMergeTree(fixture("merge-tree-conflict-names.z"), 1)).toEqual({ tree: "ae14dfdd7b68fe01081888233a8482984b606402", clean: false, conflicts: ["a.txt"] });
  });

  test("a modify/delete conflict names the file", () => {
    expect(parseMergeTree(fixture("merge-tree-modify-delete-names.z"), 1)?.conflicts).toEqual(["d/e.txt"]);
  });

  test("a clean merge: exit 0, only the tree", () => {
    expect(parseMergeTree(fixture("merge-tree-clean-names.z"), 0)).toEqual({ tree: "622bb82bfe158ede83c7af38368727d98fbc2427", clean: true, conflicts: [] });
  });

  test("an error exit or garbage is not mistaken for a result", () => {
    expect(parseMergeTree("fatal: not something we can merge\n", 128)).toBeNull();
    expect(parseMergeTree("usage: git merge-tree", 1)).toBeNull();
  });

  test("the newline-separated form is refused rather than misread", () => {
    // Its conflict lines carry mode, object and stage: read as -z they would become file names.
    expect(parseMergeTree(fixture("merge-tree-conflict.txt"), 1)).toBeNull();
  });
});

test("NUL-separated name lists drop the trailing empty field", () => {
  expect(parseNames("a b.txt\0dir/c\0")).toEqual(["a b.txt", "dir/c"]);
  expect(parseNames("")).toEqual([]);
});
