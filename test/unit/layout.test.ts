// The zone proposal follows each language's layout. The fixtures are the file lists (paths only)
// of real public repositories, named with their commit in each file's header.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { layoutUnits, proposeConfig, proposeZones, unitNames } from "../../src/core/layout";
import { deadZonePaths, validateConfig } from "../../src/core/zones";

const fixture = (name: string) =>
  readFileSync(join(import.meta.dir, "../fixtures/layouts", `${name}.txt`), "utf8")
    .split("\n")
    .filter((l) => l && !l.startsWith("#"));

type Row = {
  fixture: string;
  /** Units that must be proposed, as `path kind`. */
  has: string[];
  /** Paths that must not be a unit of their own (too coarse, or not work). */
  not: string[];
};

const TABLE: Row[] = [
  {
    fixture: "go-clean-arch", // a Go service: internal/<layer>/, a domain package
    has: ["internal/repository/ owned", "internal/rest/ owned", "internal/workers/ owned", "domain/ shared", "article/ owned", "app/ owned", "misc/ stable"],
    not: ["internal/", ".github/"],
  },
  {
    fixture: "go-cli", // a Go CLI: cmd/<bin>/, internal/<pkg>/, pkg/<pkg>/
    has: ["cmd/gh/ stable", "cmd/gen-docs/ stable", "internal/codespaces/ owned", "internal/config/ owned", "pkg/cmdutil/ owned", "pkg/iostreams/ owned", "api/ owned", "git/ owned", "docs/ owned", "script/ stable", "acceptance/ owned"],
    not: ["internal/", "pkg/", "cmd/", ".github/", ".devcontainer/"],
  },
  {
    fixture: "ts-trpc", // a pnpm monorepo: packages/<name>/
    has: ["packages/server/ owned", "packages/client/ owned", "packages/react-query/ owned", "www/ owned", "examples/ owned", "scripts/ stable"],
    not: ["packages/", "examples/bun/", ".github/"],
  },
  {
    fixture: "ts-hono", // one TypeScript package: src/<dir>/ and the files directly in src/
    has: ["src/middleware/ owned", "src/router/ owned", "src/adapter/ owned", "src/*.ts owned", "docs/ owned", "build/ stable", "runtime-tests/ owned", "benchmarks/ owned"],
    not: ["src/", "runtime-tests/bun/", "benchmarks/routers/"],
  },
  {
    fixture: "py-flask", // a src-layout Python package with subpackages
    has: ["src/flask/json/ owned", "src/flask/sansio/ owned", "src/flask/*.py owned", "tests/ owned", "docs/ owned", "examples/ owned"],
    not: ["src/", "tests/test_apps/"],
  },
  {
    fixture: "py-httpx", // a flat-layout Python package
    has: ["httpx/ owned", "tests/ owned", "docs/ owned", "scripts/ stable"],
    not: ["httpx/_transports/", "tests/client/"],
  },
  {
    fixture: "rust-ripgrep", // a Cargo workspace: crates/<name>/
    has: ["crates/core/ owned", "crates/ignore/ owned", "crates/globset/ owned", "crates/searcher/ owned", "fuzz/ owned", "tests/ owned", "ci/ stable", "benchsuite/ owned"],
    not: ["crates/", "crates/ignore/src/"],
  },
];

describe("the zone proposal over real repositories' layouts", () => {
  test.each(TABLE.map((r) => [r.fixture, r] as const))("%s", (_name, row) => {
    const files = fixture(row.fixture);
    const units = layoutUnits(files);
    const got = units.map((u) => `${u.path} ${u.kind}`);
    for (const h of row.has) expect(got).toContain(h);
    const paths = units.map((u) => u.path);
    for (const n of row.not) expect(paths).not.toContain(n);
    // Every unit holds files, no two units name the same path, and the names are valid zone names.
    for (const u of units) expect(u.files).toBeGreaterThan(0);
    expect(new Set(paths).size).toBe(paths.length);
    const names = unitNames(units);
    expect(new Set(names).size).toBe(names.length);
    // The proposal renders as a coord.toml that validates, one zone per unit.
    const { text, zones } = proposeConfig(files);
    const cfg = validateConfig(Bun.TOML.parse(text));
    expect(cfg.zones.map((z) => z.paths[0])).toEqual(paths);
    expect(zones).toEqual(cfg.zones);
  });

  test("no unit is dead: each matches at least one of the repository's files", () => {
    for (const r of TABLE) {
      const files = fixture(r.fixture);
      const dead = deadZonePaths(proposeZones(files), files);
      expect(dead).toEqual([]);
    }
  });

  test("clashing folder names get more of their path", () => {
    const zones = proposeZones(fixture("go-cli"));
    const byPath = new Map(zones.map((z) => [z.paths[0], z.name]));
    expect(byPath.get("internal/docs/")).toBe("internal-docs");
    expect(byPath.get("docs/")).toBe("docs");
    expect(byPath.get("cmd/gh/")).toBe("cmd-gh");
    expect(byPath.get("internal/gh/")).toBe("internal-gh");
  });
});

describe("the zone proposal on small layouts", () => {
  test("a Go service with the layers in internal/ and a shared domain package", () => {
    const files = ["go.mod", "cmd/server/main.go", "internal/http/router.go", "internal/storage/db.go", "internal/ws/hub.go", "internal/domain/order.go", "README.md"];
    expect(layoutUnits(files).map((u) => `${u.path} ${u.kind}`)).toEqual(["cmd/server/ stable", "internal/domain/ shared", "internal/http/ owned", "internal/storage/ owned", "internal/ws/ owned"]);
  });

  test("a Rust single crate: src/<module>/ and the crate's own files", () => {
    const files = ["Cargo.toml", "src/main.rs", "src/lib.rs", "src/parser/mod.rs", "src/parser/lexer.rs", "src/eval/mod.rs", "tests/it.rs"];
    expect(layoutUnits(files).map((u) => u.path)).toEqual(["src/eval/", "src/parser/", "src/*.rs", "tests/"]);
  });

  test("dependencies, build output and dot-folders are never zones", () => {
    const files = ["package.json", "node_modules/x/index.js", "dist/out.js", ".github/workflows/ci.yml", "target/debug/x", "src/a.ts"];
    expect(layoutUnits(files).map((u) => u.path)).toEqual(["src/*.ts"]);
  });

  test("an empty repository proposes no zones", () => {
    expect(layoutUnits([])).toEqual([]);
    expect(validateConfig(Bun.TOML.parse(proposeConfig([]).text)).zones).toEqual([]);
  });
});
