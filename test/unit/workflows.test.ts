// The GitHub Actions workflows cannot run here, so their shape is checked: they parse as YAML,
// trigger on the right events, and run the same scripts a developer runs.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../..");

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Job {
  "runs-on"?: string;
  uses?: string;
  needs?: string | string[];
  permissions?: Record<string, string>;
  steps?: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const load = (name: string) => Bun.YAML.parse(readFileSync(join(ROOT, ".github/workflows", name), "utf8")) as Workflow;
const ci = load("ci.yml");
const release = load("release.yml");
const allSteps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps ?? []);
const runs = (w: Workflow) => allSteps(w).map((s) => s.run ?? "").join("\n");

describe("ci.yml", () => {
  test("runs on every branch push and pull request, and can be called by release.yml", () => {
    expect(ci.on).toHaveProperty("push");
    expect((ci.on.push as { branches: string[] }).branches).toEqual(["**"]);
    expect(ci.on).toHaveProperty("pull_request");
    expect(ci.on).toHaveProperty("workflow_call");
  });

  test("checks out the code and runs the README's test command, the same one .ci/run runs", () => {
    const steps = ci.jobs.test?.steps ?? [];
    expect(steps[0]?.uses).toStartWith("actions/checkout@");
    // The README's first code block: the set-up command, then the test command.
    const block = readFileSync(join(ROOT, "README.md"), "utf8").split("```")[1] ?? "";
    const testCommand = block.split("\n").filter((l) => l.startsWith("scripts/"))[1]?.split(/\s+/)[0];
    expect(testCommand).toBe("scripts/check");
    expect(steps.at(-1)?.run).toBe(`bash ${testCommand}`);
    const ciRun = readFileSync(join(ROOT, ".ci/run"), "utf8").trim().split("\n").at(-1);
    expect(ciRun).toBe(`exec bash ${testCommand}`);
    // The gate is typecheck + layer check + tests, and npm's names run the same scripts.
    const check = readFileSync(join(ROOT, "scripts/check"), "utf8");
    expect(check).toContain("tsc -p .");
    expect(check).toContain("bun scripts/lint.ts");
    expect(check).toContain("bash scripts/test");
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts).toEqual({ build: "bash scripts/build", lint: "bun scripts/lint.ts", check: "bash scripts/check", test: "bash scripts/test" });
    expect(ci.jobs.test?.["runs-on"]).toBe("ubuntu-latest");
  });

  test("caches both bd versions scripts/setup builds, where it builds them", () => {
    const setup = readFileSync(join(ROOT, "scripts/setup"), "utf8");
    const pinned = setup.match(/^BD_VERSION=(\S+)$/m)?.[1];
    const old = setup.match(/^BD_OLD=(\S+)$/m)?.[1];
    expect(pinned).toBeTruthy();
    expect(old).toBeTruthy();
    const cache = allSteps(ci).find((s) => s.uses?.startsWith("actions/cache@"));
    expect(String(cache?.with?.key)).toStartWith(`bd-${pinned}-${old}-`);
    expect(String(cache?.with?.path).split("\n").map((l) => l.trim()).filter(Boolean)).toEqual(["~/go/bin/bd", `~/.cache/coord/bd-${old}`]);
  });
});

describe("release.yml", () => {
  test("runs only on v* tags", () => {
    expect(Object.keys(release.on)).toEqual(["push"]);
    expect(release.on.push).toEqual({ tags: ["v*"] });
  });

  test("releases only after the tests pass, through ci.yml", () => {
    expect(release.jobs.test?.uses).toBe("./.github/workflows/ci.yml");
    expect(release.jobs.release?.needs).toBe("test");
  });

  test("refuses a tag that is not v<package.json version>, then builds with scripts/release", () => {
    const steps = release.jobs.release?.steps ?? [];
    const check = steps.findIndex((s) => s.run?.includes('"$GITHUB_REF_NAME" != "v$version"'));
    const build = steps.findIndex((s) => s.run === "bash scripts/release");
    expect(check).toBeGreaterThan(-1);
    expect(build).toBeGreaterThan(check);
  });

  test("uploads the four binaries and SHA256SUMS with write access to contents only there", () => {
    const publish = release.jobs.release?.steps?.find((s) => s.run?.includes("gh release create"));
    expect(publish?.run).toContain("dist/release/coord-*");
    expect(publish?.run).toContain("dist/release/SHA256SUMS");
    expect(publish?.env?.GH_TOKEN).toBe("${{ github.token }}");
    expect(release.jobs.release?.permissions).toEqual({ contents: "write" });
    expect(release.permissions).toBeUndefined();
    // The glob covers exactly what scripts/release builds.
    const script = readFileSync(join(ROOT, "scripts/release"), "utf8");
    expect(script).toContain('ALL="linux-x64 linux-arm64 darwin-x64 darwin-arm64"');
    expect(script).toContain('echo "coord-$version-$1"');
  });

  test("the attached installer points at this repository", () => {
    const step = release.jobs.release?.steps?.find((s) => s.run?.includes("dist/release/install.sh"));
    expect(step?.run).toContain("s|^COORD_REPO_DEFAULT=.*|");
    expect(readFileSync(join(ROOT, "install.sh"), "utf8")).toMatch(/^COORD_REPO_DEFAULT=".+"$/m);
  });
});

describe("both workflows", () => {
  test("every step either uses a version-pinned action or runs a command", () => {
    for (const w of [ci, release]) {
      for (const s of allSteps(w)) {
        if (s.uses) expect(s.uses).toMatch(/^[\w-]+\/[\w-]+@v\d+$/);
        else expect(typeof s.run).toBe("string");
      }
    }
    expect(runs(ci) + runs(release)).not.toContain("${{ github.event");
  });
});
