// Which paths a Files: pattern covers, and when two patterns can touch the same file.
import { describe, expect, test } from "bun:test";
import { compile, overlapIndex, patternsOverlap } from "../../src/core/match";

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
