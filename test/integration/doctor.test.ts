// coord doctor: every check passes after init, and a missing bd fails with the fix.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync } from "node:fs";
import { join } from "node:path";
import { cleanupAll, tempRepo, type Repo } from "../support/world";

afterAll(cleanupAll);

const PATH_WITHOUT_BD = (process.env.PATH ?? "")
  .split(":")
  .filter((d) => d && !existsSync(join(d, "bd")))
  .join(":");

describe("coord doctor", () => {
  let repo!: Repo;
  beforeAll(() => {
    repo = tempRepo();
    repo.write("src/app.ts", "\n");
  });

  test("before init, fails naming the hooks and the sections with the fix", () => {
    const r = repo.coord(["doctor"], { BEADS_ACTOR: "alice" });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toMatch(/^FAIL hooks not registered .*; fix: coord init$/m);
    expect(r.stdout).toMatch(/^FAIL CLAUDE\.md has no Multi-Session Coordination section; fix: coord init$/m);
    expect(r.stdout).toMatch(/^warn no coord\.toml/m);
  });

  test("after init, passes with one line per check", () => {
    expect(repo.coord(["init"]).code).toBe(0);
    const r = repo.coord(["doctor"], { BEADS_ACTOR: "alice" });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines.every((l) => l.startsWith("ok   "))).toBe(true);
    expect(r.stdout).toMatch(/^ok {3}coord runs bd \d+\.\d+\.\d+ at \/.* \(from PATH\)$/m);
    expect(r.stdout).toMatch(/^ok {3}beads database at .*\.beads$/m);
    expect(r.stdout).toMatch(/^ok {3}hooks registered, running \//m);
    expect(r.stdout).toContain("ok   coord.toml valid: 1 zone(s)");
    expect(r.stdout).toContain("ok   CLAUDE.md section current");
    expect(r.stdout).toContain("ok   AGENTS.md section current");
    expect(r.stdout).toMatch(/^ok {3}claims snapshot (fresh|was out of date; refreshed)/m);
    expect(r.stdout).toContain("ok   this shell claims as alice");
  });

  test("fails when bd is not on PATH, and says how to install it", () => {
    const r = repo.coord(["doctor"], { BEADS_ACTOR: "alice", PATH: PATH_WITHOUT_BD });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toMatch(/^FAIL bd not found \(COORD_BD unset, no bd on PATH, none in \$GOPATH\/bin or ~\/go\/bin\); fix: install bd: scripts\/setup/m);
    expect(r.stdout).toContain("1 check(s) failed");
  });

  test("flags a bd outside the supported range, naming the one to install", () => {
    // COORD_BD names a program that answers like a bd from before 1.0.5: a shell script, since no
    // such bd is installed here. Only its version line is read.
    repo.write("old-bd", "#!/bin/sh\necho 'bd version 0.9.0 (dev)'\n");
    chmodSync(repo.path("old-bd"), 0o755);
    const r = repo.coord(["doctor"], { BEADS_ACTOR: "alice", COORD_BD: repo.path("old-bd") });
    expect(r.stdout).toContain(`FAIL coord runs bd 0.9.0 at ${repo.path("old-bd")} (from COORD_BD): older than the oldest supported bd 1.0.5; fix: install bd 1.3.0`);
  });

  test("names the identity a shell without one would lack, as a warning only", () => {
    const r = repo.coord(["doctor"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^warn this shell has no identity.*fix: export BEADS_ACTOR=<your name>/m);
  });

  test("fails on an invalid coord.toml with the key and what is wrong", () => {
    repo.write("coord.toml", '[[zone]]\nname = "x"\nkind = "private"\npaths = ["src/"]\n');
    const r = repo.coord(["doctor"], { BEADS_ACTOR: "alice" });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toMatch(/^FAIL coord\.toml: zone\[0\]\.kind: expected one of owned, shared, stable/m);
  });
});
