// The layer check catches each kind of break it exists for: every scenario plants one in a copy
// of the real tree and expects exactly that problem; the real tree itself is clean.
import { afterAll, describe, expect, test } from "bun:test";
import { appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { lintTree, tokenize } from "../../scripts/lint";

const ROOT = resolve(import.meta.dir, "../..");
const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function plant(edits: Record<string, string>, mode: "append" | "write" = "append"): string[] {
  const d = mkdtempSync(join(tmpdir(), "coord-lint-"));
  made.push(d);
  cpSync(join(ROOT, "src"), join(d, "src"), { recursive: true });
  for (const [file, text] of Object.entries(edits)) (mode === "append" ? appendFileSync : writeFileSync)(join(d, file), text);
  return lintTree(d).map((p) => `${p.file}: ${p.why}`);
}

describe("the real tree", () => {
  test("has no problem", () => {
    expect(lintTree(ROOT)).toEqual([]);
  });
});

describe("a planted break fails the check", () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['core imports "fs"', { "src/core/paths.ts": '\nimport { readFileSync } from "fs";\nexport const _x = readFileSync;\n' }, /src\/core\/paths\.ts: core\/ is pure: it may not import "fs"/],
    ['core requires "node:fs"', { "src/core/paths.ts": '\nconst fs = require("node:fs");\nvoid fs;\n' }, /core\/ is pure: it may not import "node:fs"/],
    ["core imports edges dynamically", { "src/core/paths.ts": '\nexport async function _f() { return (await import("../edges/bd")).bdBinary; }\n' }, /core\/ may not import edges\//],
    ["core reads the clock with new Date()", { "src/core/paths.ts": "\nexport const _now = () => new Date();\n" }, /core\/ reads no clock/],
    ["core reads the clock with Date.now", { "src/core/paths.ts": "\nexport const _now = () => Date.now();\n" }, /core\/ reads no clock/],
    ["core reads process.cwd()", { "src/core/paths.ts": "\nexport const _cwd = () => process.cwd();\n" }, /core\/ reads no process state/],
    ["core prints with console.log", { "src/core/paths.ts": '\nexport const _say = () => console.log("x");\n' }, /core\/ prints nothing/],
    ["core spawns through Bun", { "src/core/paths.ts": '\nexport const _run = () => Bun.spawnSync(["ls"]);\n' }, /core\/ does no I\/O|only src\/edges\/proc\.ts starts processes/],
    ["wt imports hook", { "src/wt/parse.ts": '\nimport { HOSTS } from "../hook/hosts";\nexport const _h = HOSTS;\n' }, /src\/wt\/parse\.ts: wt\/ may not import hook\//],
    ["edges imports cli", { "src/edges/fs.ts": '\nimport { committer } from "../cli/precommit";\nexport const _c = committer;\n' }, /src\/edges\/fs\.ts: edges\/ may not import cli\//],
    ["a process started outside edges/proc.ts", { "src/edges/fs.ts": '\nexport const _run = () => Bun.spawn(["ls"]);\n' }, /src\/edges\/fs\.ts: only src\/edges\/proc\.ts starts processes/],
    ["child_process outside edges/proc.ts", { "src/wt/git.ts": '\nimport { execFileSync } from "node:child_process";\nexport const _e = execFileSync;\n' }, /only src\/edges\/proc\.ts starts processes \("node:child_process"\)/],
    ["a hook prints", { "src/hook/guard.ts": '\nexport const _p = () => console.log("{}");\n' }, /a hook's stdout is the protocol/],
    ["an allow decision", { "src/hook/hosts.ts": '\nexport const _a = { permissionDecision: "allow" };\n' }, /never return permissionDecision "allow"/],
    ["a dead export", { "src/core/paths.ts": "\nexport function neverUsedAnywhere(): number { return 1; }\n" }, /export "neverUsedAnywhere" is imported by nothing/],
  ];
  for (const [name, edits, expected] of cases) {
    test(name, () => {
      const problems = plant(edits);
      expect(problems.some((p) => expected.test(p)), problems.join("\n")).toBe(true);
    });
  }

  test("a circle between two files", () => {
    const problems = plant({
      "src/core/circle-a.ts": 'import { b } from "./circle-b";\nexport const a = () => b();\n',
      "src/core/circle-b.ts": 'import { a } from "./circle-a";\nexport const b = (): number => (a as unknown as number);\nexport const _use = a;\n',
    }, "write");
    expect(problems.some((p) => /import circle: src\/core\/circle-(a|b)\.ts → src\/core\/circle-(a|b)\.ts → /.test(p)), problems.join("\n")).toBe(true);
  });
});

describe("what is not a break", () => {
  test("names inside comments, strings, templates and regexes do not count; new Date(t) converts, it does not read the clock", () => {
    const problems = plant({
      "src/core/paths.ts":
        '\n// process.env and console.log in a comment\nexport const _s = ["process.cwd()", `Date.now() ${1 + 1} console.log`, /process\\.env/];\nexport const _iso = (t: number) => new Date(t).toISOString();\n/* import("../edges/bd") */\n',
    });
    // (The copy has no test/ folder, so exports only tests use read as dead there: not this test's business.)
    expect(problems.filter((p) => p.startsWith("src/core/paths.ts") && !/is imported by nothing/.test(p))).toEqual([]);
  });

  test("the tokenizer follows nested templates", () => {
    const toks = tokenize("const a = `x ${`y ${z}`} w`; process.exit(1);").map((t) => t.t);
    expect(toks).toContain("process");
    expect(toks).not.toContain("w");
  });
});
