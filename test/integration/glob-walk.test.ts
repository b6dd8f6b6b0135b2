// Glob targets are expanded against the file system within a deadline: a pattern that matches
// nothing no longer walks the whole disk inside a hook, and what is found follows the shell's rules.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expandGlob } from "../../src/edges/glob";
import { cleanupAll, tempDir } from "../support/world";

afterAll(cleanupAll);

describe("expandGlob", () => {
  test("a pattern from / that matches nothing stops at its deadline and says it was cut", () => {
    const t0 = performance.now();
    const r = expandGlob("/**/zz-coord-no-such-file", "/", { deadline: t0 + 150, max: 500, dot: false });
    expect(r.cut).toBe(true);
    expect(r.hits).toEqual([]);
    // One directory read past the deadline at most: far from the seconds a full walk takes.
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  test("matches like the shell: fixed folders first, ** deep, no hidden files unless the pattern names the dot", () => {
    const d = tempDir();
    for (const f of ["src/a.ts", "src/api/b.ts", "src/api/deep/c.ts", "src/.hidden.ts", "lib/d.ts", ".env.local"]) {
      mkdirSync(join(d, f, ".."), { recursive: true });
      writeFileSync(join(d, f), "x\n");
    }
    const rel = (xs: string[]) => xs.map((x) => x.slice(d.length + 1)).sort();
    const far = performance.now() + 60_000;
    expect(rel(expandGlob("src/*.ts", d, { deadline: far, max: 500, dot: false }).hits)).toEqual(["src/a.ts"]);
    expect(rel(expandGlob("src/**/*.ts", d, { deadline: far, max: 500, dot: false }).hits)).toEqual(["src/a.ts", "src/api/b.ts", "src/api/deep/c.ts"]);
    expect(rel(expandGlob(".env*", d, { deadline: far, max: 500, dot: false }).hits)).toEqual([".env.local"]);
    expect(rel(expandGlob(`${d}/lib/*.ts`, "/", { deadline: far, max: 500, dot: false }).hits)).toEqual(["lib/d.ts"]);
    const capped = expandGlob("src/**", d, { deadline: far, max: 2, dot: false });
    expect([capped.hits.length, capped.cut]).toEqual([2, true]);
  });

  test("within the checkouts: only the folders on the way down are read, and a folder holding one is a hit", () => {
    const d = tempDir();
    for (const f of ["a/repo/src/x.ts", "a/other/x.ts", "b/x.ts"]) {
      mkdirSync(join(d, f, ".."), { recursive: true });
      writeFileSync(join(d, f), "x\n");
    }
    const far = performance.now() + 60_000;
    const within = [join(d, "a/repo")];
    const rel = (xs: string[]) => xs.map((x) => x.slice(d.length + 1)).sort();
    expect(rel(expandGlob(`${d}/**/x.ts`, "/", { deadline: far, max: 500, dot: false, within }).hits)).toEqual(["a/repo/src/x.ts"]);
    expect(rel(expandGlob(`${d}/*`, "/", { deadline: far, max: 500, dot: false, within }).hits)).toEqual(["a"]);
    expect(rel(expandGlob("../../*/x.ts", join(d, "a/repo/src"), { deadline: far, max: 500, dot: false, within }).hits)).toEqual([]);
    expect(rel(expandGlob("*/x.ts", join(d, "b"), { deadline: far, max: 500, dot: false, within }).hits)).toEqual([]);
    // From / the walk finishes: nothing outside the checkout is read past the folders above it.
    const r = expandGlob("/**/zz-coord-no-such-file", "/", { deadline: performance.now() + 60_000, max: 500, dot: false, within });
    expect(r).toEqual({ hits: [], cut: false });
  });
});
