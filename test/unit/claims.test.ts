// Reading claims: bd's real JSON (captured from bd 1.0.5 into test/fixtures/bd) and Files: lines.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Bead, claimProblems, inProgress, parseBdList, parseFilesField, readyBeads } from "../../src/core/claims";
import { claimHits } from "../../src/core/policy";

const bead = (id: string, assignee: string): Bead => ({ id, title: id, status: "in_progress", assignee, updatedAt: "", priority: 2, files: [], blockedBy: [] });

const fixture = (name: string) => readFileSync(join(import.meta.dir, "../fixtures/bd", name), "utf8");

// Each row: how a person wrote it, the patterns coord keeps, files they cover, files they do not.
type Row = [name: string, text: string, patterns: string[], covers: string[], misses: string[]];
const SPELLINGS: Row[] = [
  ["comma list", "Files: src/api/, src/db/schema.ts", ["src/api/", "src/db/schema.ts"], ["src/api/routes.ts", "src/db/schema.ts"], ["src/db/other.ts"]],
  ["space list", "Files: src/a.ts src/b.ts", ["src/a.ts", "src/b.ts"], ["src/b.ts"], ["src/c.ts"]],
  ["semicolons", "Files: src/a.ts; src/b.ts.", ["src/a.ts", "src/b.ts"], ["src/a.ts"], ["src/b.tsx"]],
  ["backticks keep spaces", "Files: `docs/my guide.md`, `src/x.ts`", ["docs/my guide.md", "src/x.ts"], ["docs/my guide.md"], ["docs/my"]],
  ["double quotes", 'Files: "a b/c.ts"', ["a b/c.ts"], ["a b/c.ts"], ["a"]],
  ["single quotes", "Files: 'lib/x y.ts', lib/z.ts", ["lib/x y.ts", "lib/z.ts"], ["lib/x y.ts"], ["lib/x"]],
  ["any letter case", "FILES: a.ts\nfiles: b.ts\nFiLeS: c.ts", ["a.ts", "b.ts", "c.ts"], ["c.ts"], ["d.ts"]],
  ["leading ./ and /", "Files: ./src/a.ts, /src/b.ts", ["src/a.ts", "src/b.ts"], ["src/a.ts"], ["a.ts"]],
  ["dot-dot folded", "Files: src/x/../y.ts", ["src/y.ts"], ["src/y.ts"], ["src/x/y.ts"]],
  ["bullet list after the key", "Files:\n- src/auth/**\n- `docs/auth guide.md`\n\nMore prose", ["src/auth/**", "docs/auth guide.md"], ["src/auth/a/b.ts", "docs/auth guide.md"], ["src/authz.ts"]],
  ["key with items and bullets", "Files: a.ts\n* b.ts\n+ c.ts\n1. d.ts", ["a.ts", "b.ts", "c.ts", "d.ts"], ["d.ts"], ["e.ts"]],
  ["blank line between key and bullets", "Files:\n\n- x.ts\n- y.ts", ["x.ts", "y.ts"], ["y.ts"], ["z.ts"]],
  ["bold key", "**Files:** src/z.ts", ["src/z.ts"], ["src/z.ts"], ["z.ts"]],
  ["bold key, colon outside", "**Files**: src/z.ts", ["src/z.ts"], ["src/z.ts"], ["z.ts"]],
  ["underscore bold key", "__Files:__ src/z.ts", ["src/z.ts"], ["src/z.ts"], ["z.ts"]],
  ["bullet key", "- Files: a/b.ts", ["a/b.ts"], ["a/b.ts"], ["a/c.ts"]],
  ["bullet bold key", "* **Files:** web/", ["web/"], ["web/app.css"], ["webapp.css"]],
  ["quoted (markdown) key", "> Files: quoted/", ["quoted/"], ["quoted/x"], ["x"]],
  ["placeholders ignored", "Files: none", [], [], ["none"]],
  ["globs kept", "Files: src/**/*.test.ts, web/{a,b}.css", ["src/**/*.test.ts", "web/{a,b}.css"], ["src/x/y/z.test.ts", "web/b.css"], ["src/x/z.ts", "web/c.css"]],
  ["leading ** kept", "Files: **/*.ts", ["**/*.ts"], ["a.ts", "src/deep/x.ts"], ["src/x.js"]],
  ["** on both sides kept", "Files: **/api/**", ["**/api/**"], ["api/x.ts", "src/api/v1/x.ts"], ["src/apis/x.ts"]],
  ["dunder file kept", "Files: **/__init__.py", ["**/__init__.py"], ["__init__.py", "pkg/sub/__init__.py"], ["pkg/init.py"]],
  ["dunder folder kept", "Files: __tests__/", ["__tests__/"], ["__tests__/a.test.js"], ["tests__/a.js"]],
  ["extglob kept whole", "Files: src/**/*.@(ts|tsx)", ["src/**/*.@(ts|tsx)"], ["src/a.ts", "src/x/b.tsx"], ["src/a.js"]],
  ["extglob in backticks", "Files: `src/*.+(js|mjs)`", ["src/*.+(js|mjs)"], ["src/a.mjs"], ["src/a.cjs"]],
  ["bare ** is the whole repository", "Files: **", ["**"], ["README.md", "a/b/c"], []],
  ["* is the whole repository", "Files: *", ["*"], ["README.md", "src/a.ts"], []],
  ["?* is the whole repository", "Files: ?*", ["?*"], ["x", "src/a.ts"], []],
  ["{,**} is the whole repository", "Files: {,**}", ["{,**}"], ["x", "src/a.ts"], []],
  [". is the repository", "Files: .", ["."], ["x", "src/a.ts"], []],
  ["/ is the repository", "Files: /", ["."], ["x"], []],
  ["climbing out kept as written", "Files: ../../etc, ok.ts", ["../../etc", "ok.ts"], ["ok.ts"], ["etc", "etc/passwd"]],
  ["climbing out through a folder", "Files: src/../..", ["src/../.."], [], ["src/a.ts", "a"]],
  ["key after a sentence", "Work item. Files: src/auth/", ["src/auth/"], ["src/auth/login.ts"], ["src/api/x.ts"]],
  ["key in parentheses", "Refactor the login (Files: src/auth/, docs/auth.md)", ["src/auth/", "docs/auth.md"], ["docs/auth.md"], ["docs/other.md"]],
  ["key after a dash", "Rework it - Files: lib/", ["lib/"], ["lib/a"], ["libx"]],
  ["bold key after a sentence", "Do this. **Files:** a/", ["a/"], ["a/b"], ["b"]],
  ["key mid-sentence is not a key", "See the files: section below", [], [], ["section"]],
  ["word ending in files is not a key", "Profiles: x.ts", [], [], ["x.ts"]],
  ["no key, no files", "This touches src/api but says so only in prose", [], [], ["src/api/x"]],
  ["parentheses in a plain path (route groups)", "Files: app/(marketing)/page.tsx", ["app/(marketing)/page.tsx"], ["app/(marketing)/page.tsx"], ["app/marketing/page.tsx"]],
  ["brackets in a plain path (dynamic routes)", "Files: app/[id]/page.tsx", ["app/[id]/page.tsx"], ["app/[id]/page.tsx", "app/i/page.tsx"], ["app/x/page.tsx"]],
  ["brace group with commas and a space after", "Files: web/{a,b,c}.css, x.ts", ["web/{a,b,c}.css", "x.ts"], ["web/c.css"], ["web/d.css"]],
  ["character class", "Files: src/[ab]*.ts", ["src/[ab]*.ts"], ["src/alpha.ts"], ["src/gamma.ts"]],
  ["numeric range", "Files: migrations/00{1..3}.sql", ["migrations/00{1..3}.sql"], ["migrations/002.sql"], ["migrations/004.sql"]],
  ["unicode", "Files: src/café/naïve.ts", ["src/café/naïve.ts"], ["src/café/naïve.ts"], ["src/cafe/naive.ts"]],
  ["windows separators", "Files: src\\win\\x.ts", ["src/win/x.ts"], ["src/win/x.ts"], ["src/x.ts"]],
  ["duplicates merged", "Files: a.ts\nFiles: a.ts", ["a.ts"], ["a.ts"], ["b.ts"]],
  ["CRLF", "Files: a.ts\r\n- b.ts\r\n", ["a.ts", "b.ts"], ["b.ts"], ["c.ts"]],
  ["a folder's own dot", "Files: src/api/.", ["src/api"], ["src/api/x"], ["src/apix"]],
];

describe("the Files: convention: what each spelling claims", () => {
  test.each(SPELLINGS)("%s", (_name, text, patterns, covers, misses) => {
    const files = parseFilesField(text);
    expect(files).toEqual(patterns);
    const claims = [{ ...bead("x-1", "alice"), files }];
    for (const f of covers) expect({ f, hit: claimHits(f, claims).length }).toEqual({ f, hit: 1 });
    for (const f of misses) expect({ f, hit: claimHits(f, claims).length }).toEqual({ f, hit: 0 });
  });

  test("the table has at least 40 spellings", () => {
    expect(SPELLINGS.length).toBeGreaterThanOrEqual(40);
  });

  test("a bullet list ends at the first line that is not a bullet", () => {
    expect(parseFilesField("Files:\n- a.ts\nNot a bullet\n- b.ts")).toEqual(["a.ts"]);
  });
});

describe("claims that do not mean what their owner thinks are kept and flagged", () => {
  test.each([
    ["*", "covers the whole repository"],
    ["?*", "covers the whole repository"],
    ["{,**}", "covers the whole repository"],
    ["**", "covers the whole repository"],
    [".", "covers the whole repository"],
    ["../../etc", "names nothing inside the repository"],
    ["src/../..", "names nothing inside the repository"],
    [`src/api/${"*a".repeat(300)}`, "too complex to match exactly"],
  ])("%#: %s", (pattern: string, reason: string) => {
    const problems = claimProblems({ files: ["src/ok.ts", pattern] });
    expect(problems.map((p) => p.pattern)).toEqual([pattern]);
    expect(problems[0]?.problem).toContain(reason);
  });

  test("ordinary claims have no problem", () => {
    expect(claimProblems({ files: ["src/api/", "**/*.ts", "docs/{a,b}.md", "__tests__/"] })).toEqual([]);
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
