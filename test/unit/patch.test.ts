// Codex's apply_patch text, as its PreToolUse hook receives it (captured from codex 0.171.0 in
// test/fixtures/codex/), read for the files it touches.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parsePatch, patchPaths } from "../../src/core/patch";

const fixture = (name: string) => JSON.parse(readFileSync(join(import.meta.dir, "../fixtures/codex", name), "utf8")) as { tool_input: { command: string } };

describe("a real Codex patch", () => {
  test("that adds, moves, deletes and updates names each file, the moved one under both names", () => {
    const p = parsePatch(fixture("pretooluse-apply-patch-multi.json").tool_input.command);
    expect(p.errors).toEqual([]);
    expect(p.targets).toEqual([
      { op: "add", path: "src/new dir/added.ts" },
      { op: "move-from", path: "old.txt" },
      { op: "move-to", path: "moved/renamed.txt" },
      { op: "delete", path: "gone.txt" },
      { op: "update", path: "./keep.txt" },
    ]);
  });

  test("names the same files Codex reported changing when it applied that patch", () => {
    const p = parsePatch(fixture("pretooluse-apply-patch-multi.json").tool_input.command);
    const changed = readFileSync(join(import.meta.dir, "../fixtures/codex/exec-json-apply-patch-multi.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { item?: { type?: string; changes?: { path: string }[] } })
      .flatMap((e) => (e.item?.type === "file_change" ? (e.item.changes ?? []).map((c) => c.path.replace("/tmp/h14x/proj/", "")) : []));
    // Codex lists a moved file under its old name only; the new name is written too.
    const ours = patchPaths(p).map((f) => f.replace(/^\.\//, ""));
    for (const f of changed) expect(ours).toContain(f);
    expect(ours).toContain("moved/renamed.txt");
  });

  test("that adds one file names it", () => {
    expect(parsePatch("*** Begin Patch\n*** Add File: hello.txt\n+hi\n*** End Patch\n")).toEqual({ targets: [{ op: "add", path: "hello.txt" }], errors: [] });
  });
});

describe("a patch that does not parse", () => {
  test("without its end marker says so, keeping the targets it saw", () => {
    const p = parsePatch("*** Begin Patch\n*** Update File: a.ts\n@@\n-x\n+y\n");
    expect(p.targets).toEqual([{ op: "update", path: "a.ts" }]);
    expect(p.errors).toEqual(['no "*** End Patch" line']);
  });

  test("that is not a patch at all has no targets and an error", () => {
    const p = parsePatch("echo hi > a.ts");
    expect(p.targets).toEqual([]);
    expect(p.errors.length).toBeGreaterThan(0);
  });

  test("with a Move to that follows no Update is an error, not a target", () => {
    const p = parsePatch("*** Begin Patch\n*** Add File: a\n+x\n*** Move to: b\n*** End Patch");
    expect(p.targets).toEqual([{ op: "add", path: "a" }]);
    expect(p.errors[0]).toContain("Move to");
  });

  test("content lines that look like headers are content", () => {
    const p = parsePatch("*** Begin Patch\n*** Add File: doc.md\n+*** Delete File: important.ts\n*** End Patch");
    expect(p.targets).toEqual([{ op: "add", path: "doc.md" }]);
  });
});
