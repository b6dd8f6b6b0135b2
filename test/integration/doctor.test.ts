// coord doctor: every check passes after init, and a missing bd fails with the fix.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, renameSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { twoMachines } from "../support/machines";
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
    expect(r.stdout).toContain("ok   no Dolt remote for the beads database: claims stay on this machine (to share them: bd dolt remote add origin <url>, then coord sync)");
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

describe("coord doctor on claims across machines", () => {
  const ALICE = { BEADS_ACTOR: "alice", COORD_SYNC: "off" };
  const BOB = { BEADS_ACTOR: "bob", COORD_SYNC: "off" };
  const remoteLines = (out: string) => out.split("\n").filter((l) => /Dolt remote|last pull|never pulled|split brain|SPLIT BRAIN|merge conflict/.test(l));

  test("a reachable remote: never pulled until coord sync, then the last pull and push, and the split brain the last sync found", () => {
    const { origin, a, b } = twoMachines();
    const url = `git+file://${origin}`;
    const fresh = remoteLines(b.coord(["doctor"], BOB).stdout);
    expect(fresh[0]).toMatch(new RegExp(`^ok {3}Dolt remote origin \\(${url.replace(/[.+]/g, "\\$&")}\\): reachable \\(git ls-remote answered in \\d+( ms|\\.\\d s)\\)$`));
    expect(fresh[1]).toBe("warn never pulled on this machine; never pushed from this machine (recorded in sync.json); fix: coord sync");
    expect(fresh).toHaveLength(2);

    // Overlapping Files claimed apart, then both sync: B's pull meets alice's claim.
    const api = a.bead("API", "Files: src/api/");
    a.claim(api, "alice");
    const routes = b.bead("Routes", "Files: src/api/routes.ts");
    b.claim(routes, "bob");
    expect(a.coord(["sync"], ALICE).code).toBe(0);
    expect(b.coord(["sync"], BOB).code).toBe(2);
    const after = remoteLines(b.coord(["doctor"], BOB).stdout);
    expect(after[0]).toContain("reachable (git ls-remote answered in");
    expect(after[1]).toMatch(/^ok {3}last pull \d+s ago brought changes; last push \d+s ago ok$/);
    expect(after[2]).toMatch(new RegExp(`^warn SPLIT BRAIN: ${routes} \\(bob, here\\) and ${api} \\(alice, another machine\\) both claim src/api/routes\\.ts \\(found by coord sync \\d+s ago\\); fix: coord sync --settle ${routes} --keep ours\\|theirs \\(ours releases ${api}, theirs ${routes}\\)$`));
    expect(after).toHaveLength(3);
    // A pushed before bob's claim existed there: its record has no split brain yet.
    expect(remoteLines(a.coord(["doctor"], ALICE).stdout)).toContainEqual("ok   the last sync found no split brain and no merge conflict");
  }, 180_000);

  test("an unreachable remote is a warning with the next step, and the rest of doctor still runs", () => {
    const { origin, b } = twoMachines();
    expect(b.coord(["sync"], BOB).code).toBe(0);
    renameSync(origin, `${origin}.gone`);
    const r = b.coord(["doctor"], BOB);
    const lines = remoteLines(r.stdout);
    expect(lines[0]).toContain(`warn Dolt remote origin (git+file://${origin}): unreachable (`);
    expect(lines[0]).toContain("does not appear to be a git repository");
    expect(lines[0]).toContain(`; fix: check that this machine reaches it: git ls-remote file://${origin} refs/dolt/data; if it moved: bd dolt remote remove origin && bd dolt remote add origin <new url>; then coord sync`);
    expect(r.stdout).toContain("this shell claims as bob");
  }, 180_000);

  test("a remote that never answers is given up after the budget, not waited for", async () => {
    const { b } = twoMachines();
    // A server that accepts connections and never says a word: git's HTTP request waits forever.
    const held: import("node:net").Socket[] = [];
    const server = createServer((s) => void held.push(s));
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    const port = (server.address() as { port: number }).port;
    try {
      const url = `git+http://127.0.0.1:${port}/origin.git`;
      b.bd(["dolt", "remote", "remove", "origin"]);
      b.bd(["dolt", "remote", "add", "origin", url]);
      const r = b.coord(["doctor"], BOB);
      expect(remoteLines(r.stdout)[0]).toBe(
        `warn Dolt remote origin (${url}): did not answer within 3.0 s; claims made on other machines are not seen and this clone's do not reach them (the guard decides on this clone's claims); fix: check that this machine reaches it: git ls-remote http://127.0.0.1:${port}/origin.git refs/dolt/data; if it moved: bd dolt remote remove origin && bd dolt remote add origin <new url>; then coord sync`,
      );
      // The connection waited in the listen queue while this test was blocked on doctor; accepted
      // now, it shows git did reach the server and was cut off by the budget, not refused.
      await Bun.sleep(200);
      expect(held.length).toBeGreaterThan(0);
    } finally {
      for (const s of held) s.destroy();
      server.close();
    }
  }, 180_000);
});
