// Which paths a Files: pattern covers, and when two patterns can touch the same file.
import { describe, expect, test } from "bun:test";
import { MAX_NESTING, MAX_PATTERN_CHARS, automatonSize, budgeted, compile, sizeBound, coversEverything, overlapIndex, patternProblem, patternsOverlap, tooComplex } from "../../src/core/match";

describe("a pattern covers a path", () => {
  test.each([
    ["src/api/", "src/api/routes.ts", true],
    ["src/api/", "src/api/v1/deep/x.ts", true],
    ["src/api", "src/api/routes.ts", true],
    ["src/api", "src/apix/routes.ts", false],
    ["src/api/", "src/apiary.ts", false],
    ["src/a.ts", "src/a.ts", true],
    ["src/a.ts", "src/a.tsx", false],
    ["src/**/*.test.ts", "src/x/y/z.test.ts", true],
    ["src/**/*.test.ts", "src/x/y/z.ts", false],
    ["src/*", "src/api/routes.ts", true],
    ["*.md", "README.md", true],
    ["*.md", "docs/README.md", false],
    ["web/{a,b}.css", "web/b.css", true],
    ["src/*/routes.ts", "src/api/routes.ts", true],
    [".github/", ".github/workflows/ci.yml", true],
    ["**/.env", "deploy/.env", true],
    ["docs/my guide.md", "docs/my guide.md", true],
    ["src/café/", "src/café/naïve.ts", true],
    ["SRC/api/", "src/api/x.ts", false],
  ])("%s covers %s: %p", (pattern, path, want) => {
    expect(compile(pattern)(path)).toBe(want);
  });
});

describe("two patterns overlap", () => {
  test.each([
    ["src/api/", "src/api/routes.ts", true],
    ["src/api/routes.ts", "src/api/", true],
    ["src/api/", "src/db/", false],
    ["src/api/**", "src/*/x.ts", true],
    ["src/a/*", "lib/*", false],
    ["src/api/", "src/**/*.ts", true],
    ["docs/a.md", "src/**", false],
    ["src/", "src/api/", true],
  ])("%s ~ %s: %p", (a, b, want) => {
    expect(patternsOverlap(a, b)).toBe(want);
  });
});

describe("the overlap index agrees with patternsOverlap", () => {
  const claims = ["src/api/", "src/db/schema.ts", "docs/**/*.md", "web/app"];
  const index = overlapIndex(claims);
  test.each(["src/api/x.ts", "src/", "src/db/", "src/db/other.ts", "docs/a/b.md", "docs/", "web/app/x", "web/", "lib/x.ts", "src/**", "lib/*.ts", "webapp"])("%s", (p) => {
    expect(index(p)).toBe(claims.some((c) => patternsOverlap(p, c)));
  });
});

describe("glob syntax a claim may use", () => {
  test.each([
    ["**/*.ts", "a.ts", true],
    ["**/*.ts", "x/y/a.ts", true],
    ["a/**/b", "a/b", true],
    ["a/**/b", "a/x/y/b", true],
    ["a/**/b", "a/xb", false],
    ["a/**", "a", true],
    ["src/**/*.@(ts|tsx)", "src/x/a.tsx", true],
    ["src/**/*.@(ts|tsx)", "src/x/a.tsx.bak", false],
    ["src/+(a|b).ts", "src/abba.ts", true],
    ["src/+(a|b).ts", "src/.ts", false],
    ["src/*(a|b).ts", "src/.ts", true],
    ["src/?(a).ts", "src/aa.ts", false],
    ["src/!(x).ts", "src/y.ts", true],
    ["[!a]*.ts", "b.ts", true],
    ["[!a]*.ts", "a.ts", false],
    ["[[:digit:]]*.sql", "001.sql", true],
    ["[[:digit:]]*.sql", "x01.sql", false],
    ["x{1..3}.ts", "x2.ts", true],
    ["x{1..3}.ts", "x4.ts", false],
    ["{src,lib}/**/*.js", "lib/q/r.js", true],
    ["web/{a,{b,c}}.css", "web/c.css", true],
    ["web/{a}.css", "web/{a}.css", true],
    ["*", "a/b/c", true],
    ["?", "ab", false],
    ["src/*/", "src/api/x.ts", true],
  ])("%s covers %s: %p", (pattern, path, want) => {
    expect(compile(pattern)(path)).toBe(want);
  });
});

describe("hostile patterns cost what ordinary ones do", () => {
  const run = "a".repeat(42);
  test.each([
    ["nested stars against a run of a's", "*a*a*a*a*a*a*a*a*a*a*a*ab", run, false],
    ["nested stars that match", "*a*a*a*a*a*a*a*a*a*a*a*a", run, true],
    ["globstars everywhere", "**/**/**/**/**/**/**/**/**/**/x", `${"d/".repeat(40)}y`, false],
    ["extglob stars", "*(a|aa)*(a|aa)*(a|aa)*(a|aa)b", run, false],
    ["the longest allowed pattern", `${"*a".repeat(127)}b`, "a".repeat(4000), false],
  ])("%s", (_name, pattern, path, want) => {
    expect(compile(pattern)(path)).toBe(want);
  });

  test("a pattern over the limit is matched by its plain prefix and flagged", () => {
    const p = `src/api/${"*a".repeat(MAX_PATTERN_CHARS)}`;
    expect(tooComplex(p)).toContain("longer than");
    expect(compile(p)("src/api/anything.ts")).toBe(true);
    expect(compile(p)("src/db/x.ts")).toBe(false);
    expect(patternProblem(p)).toContain("everything under src/api/");
  });

  test("a pattern nested too deep, with no plain prefix, claims the whole repository", () => {
    const p = `${"@(".repeat(MAX_NESTING + 1)}x${")".repeat(MAX_NESTING + 1)}`;
    expect(tooComplex(p)).toBe("nested too deep");
    expect(compile(p)("anything/at/all")).toBe(true);
    expect(patternProblem(p)).toContain("the whole repository");
  });

  test("a huge brace range is refused as too complex", () => {
    expect(tooComplex("x{1..100000}")).toBe("brace range too long");
  });
});

describe("the whole repository and outside it", () => {
  test.each([
    ["*", true],
    ["?*", true],
    ["{,**}", true],
    ["**", true],
    [".", true],
    ["**/*", true],
    ["src/", false],
    ["*.ts", false],
    ["[a-z]*", false],
  ])("%s covers everything: %p", (p, want) => {
    expect(coversEverything(p)).toBe(want);
  });

  test.each([
    [".", "src/a.ts", true],
    [".", "../x", false],
    ["../etc", "etc", false],
    ["src/../..", "src/", false],
    ["*", "src/", true],
  ])("%s ~ %s: %p", (a, b, want) => {
    expect(patternsOverlap(a, b)).toBe(want);
    expect(overlapIndex([a])(b)).toBe(want);
  });
});

describe("against Bun's own glob matcher", () => {
  // Random patterns over a small alphabet, random paths: whatever Bun.Glob matches, a claim with
  // that pattern must cover (coord may cover more: a matched folder covers its contents).
  test("no path Bun.Glob matches is missed (5,000 random cases)", () => {
    let seed = 11;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const pick = <T>(xs: readonly T[]) => xs[rnd(xs.length)] as T;
    const atoms = ["a", "b", "*", "?", "**", "[ab]", "[!a]", "{a,b}", "{,b}", "ab", "."];
    const missed: string[] = [];
    for (let t = 0; t < 5000; t++) {
      const pat = Array.from({ length: 1 + rnd(3) }, () => {
        const s = Array.from({ length: 1 + rnd(2) }, () => pick(atoms)).join("");
        return s.includes("**") && s !== "**" ? s.replace(/\*\*/g, "*") : s;
      }).join("/");
      const path = Array.from({ length: 1 + rnd(3) }, () => Array.from({ length: 1 + rnd(3) }, () => pick(["a", "b", "."])).join("")).join("/");
      if (pat.split("/").includes(".") || path.split("/").some((s) => s === "." || s === "..")) continue;
      if (new Bun.Glob(pat).match(path) && !compile(pat)(path)) missed.push(`${pat} ${path}`);
    }
    expect(missed).toEqual([]);
  });
});

describe("the glob budget of one decision", () => {
  test.each(["{x}", "{abc}def", "!(abc)", "**/", "/**", "a/**/b/", "@(a|b|c)", "+(ab|cd)", "{,,,}", "{a,{b,{c,d}}}", "[abc][!d]*?", "\u{1F600}x", "{1..300}", "*(a|)", "a{,}b{,}c", "*a*a*a*a*ab"])(
    "the size bound of %s is not below its automaton",
    (p) => {
      expect(automatonSize(p) ?? 0).toBeLessThanOrEqual(sizeBound(p));
    },
  );

  test("2,000 hostile globs: the first are matched exactly, the rest by their leading folders, all flagged loose", () => {
    const m = budgeted();
    const path = "a".repeat(120);
    let exact = 0;
    for (let i = 0; i < 2000; i++) {
      const p = `${"*a".repeat(40)}b${i}`;
      const hit = m.covers(p, path);
      if (!m.loose.has(p)) {
        exact++;
        expect(hit).toBe(false);
      } else expect(hit).toBe(true);
    }
    expect(exact).toBeGreaterThan(0);
    expect(m.loose.size).toBe(2000 - exact);
  });
});
