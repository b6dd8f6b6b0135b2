// Reading claims: bd's real JSON (captured from bd 1.0.5 into test/fixtures/bd) and Files: lines.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { inProgress, parseBdList, parseFilesField, readyBeads } from "../../src/core/claims";

const fixture = (name: string) => readFileSync(join(import.meta.dir, "../fixtures/bd", name), "utf8");

describe("the Files: convention", () => {
  test.each([
    ["comma list", "Files: src/api/, src/db/schema.ts", ["src/api/", "src/db/schema.ts"]],
    ["space list", "Files: src/a.ts src/b.ts", ["src/a.ts", "src/b.ts"]],
    ["backticks keep spaces", "Files: `docs/my guide.md`, `src/x.ts`", ["docs/my guide.md", "src/x.ts"]],
    ["quotes keep spaces", 'Files: "a b/c.ts"', ["a b/c.ts"]],
    ["any letter case", "FILES: a.ts\nfiles: b.ts\nFiLeS: c.ts", ["a.ts", "b.ts", "c.ts"]],
    ["leading ./ and /", "Files: ./src/a.ts, /src/b.ts", ["src/a.ts", "src/b.ts"]],
    ["dot-dot folded", "Files: src/x/../y.ts", ["src/y.ts"]],
    ["escaping the root dropped", "Files: ../outside.ts, ok.ts", ["ok.ts"]],
    ["bullet list after the key", "Files:\n- src/auth/**\n- `docs/auth guide.md`\n\nMore prose", ["src/auth/**", "docs/auth guide.md"]],
    ["key with items and bullets", "Files: a.ts\n* b.ts\n+ c.ts\n1. d.ts", ["a.ts", "b.ts", "c.ts", "d.ts"]],
    ["blank line between key and bullets", "Files:\n\n- x.ts\n- y.ts", ["x.ts", "y.ts"]],
    ["markdown bold key", "**Files:** src/z.ts", ["src/z.ts"]],
    ["bullet key", "- Files: a/b.ts", ["a/b.ts"]],
    ["placeholders ignored", "Files: none", []],
    ["trailing punctuation", "Files: src/a.ts; src/b.ts.", ["src/a.ts", "src/b.ts"]],
    ["globs kept", "Files: src/**/*.test.ts, web/{a,b}.css", ["src/**/*.test.ts", "web/{a,b}.css"]],
    ["unicode", "Files: src/café/naïve.ts", ["src/café/naïve.ts"]],
    ["duplicates merged", "Files: a.ts\nFiles: a.ts", ["a.ts"]],
    ["no key, no files", "This touches src/api but says so only in prose", []],
    ["key mid-sentence is not a key", "See the files: section below", []],
    ["CRLF", "Files: a.ts\r\n- b.ts\r\n", ["a.ts", "b.ts"]],
  ])("%s", (_name, text, want) => {
    expect(parseFilesField(text)).toEqual(want);
  });

  test("a bullet list ends at the first line that is not a bullet", () => {
    expect(parseFilesField("Files:\n- a.ts\nNot a bullet\n- b.ts")).toEqual(["a.ts"]);
  });
});

describe("bd list --json as bd 1.0.5 prints it", () => {
  const beads = parseBdList(fixture("list-mixed.json"));

  test("keeps every issue with its status and assignee", () => {
    expect(beads.map((b) => b.id).sort()).toEqual(["fx-4ad", "fx-545", "fx-cgq", "fx-dfb", "fx-m2a", "fx-mh0"]);
    const routes = beads.find((b) => b.title === "Add API routes");
    expect(routes?.status).toBe("in_progress");
    expect(routes?.assignee).toBe("alice");
    expect(routes?.files).toEqual(["src/api/", "src/db/schema.ts"]);
  });

  test("reads a key-then-bullets description", () => {
    expect(beads.find((b) => b.title === "Refactor auth")?.files).toEqual(["src/auth/**", "docs/auth guide.md"]);
  });

  test("reads metadata.files too", () => {
    expect(beads.find((b) => b.title === "Meta files")?.files).toEqual(["lib/util.ts"]);
  });

  test("in progress includes the unassigned claim", () => {
    const ip = inProgress(beads);
    expect(ip.map((b) => b.assignee).sort()).toEqual(["", "alice", "bob", "carol"]);
  });

  test("blocked work is not ready while its blocker is open", () => {
    const ready = readyBeads(beads).map((b) => b.title);
    expect(ready).toContain("Meta files");
    expect(ready).not.toContain("Blocked work");
    const withoutBlocker = beads.filter((b) => b.title !== "Add API routes");
    expect(readyBeads(withoutBlocker).map((b) => b.title)).toContain("Blocked work");
  });

  test("the JSON envelope (BD_JSON_ENVELOPE=1) gives the same beads", () => {
    expect(parseBdList(fixture("list-envelope.json"))).toEqual(beads);
  });

  test("an empty list is no claims", () => {
    expect(parseBdList(fixture("list-empty.json"))).toEqual([]);
  });

  test("output that is not bd's list is an error, not an empty list", () => {
    expect(() => parseBdList('{"error":"boom","schema_version":1}')).toThrow();
    expect(() => parseBdList("Error: database locked")).toThrow();
  });
});
