// The claims snapshot refreshes exactly when the beads database is written, and never on reads.
import { afterAll, describe, expect, test } from "bun:test";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ME_A, SID_A, SID_B, cleanupAll, tempDir, tempRepo } from "../support/world";

afterAll(cleanupAll);

const snapFile = (dir: string) => join(dir, ".git", "coord", "claims.json");
const takenAt = (dir: string): number => JSON.parse(readFileSync(snapFile(dir), "utf8")).takenAt;

// One scenario, step by step: each step builds on the state the one before it left, so they are one test.
test("the snapshot follows the beads database: reused on reads, refreshed on every write", () => {
  const repo = tempRepo();
  const id = repo.bead("Routes", "Files: src/api/");
  repo.claim(id, ME_A);

  // the first check refreshes, the next ones reuse it
  {
    expect(repo.write_(SID_B, "src/api/a.ts").decision).toBe("deny");
    const t0 = takenAt(repo.dir);
    expect(repo.write_(SID_B, "src/api/b.ts").decision).toBe("deny");
    expect(repo.write_(SID_B, "src/other.ts").decision).toBe("allow");
    expect(takenAt(repo.dir)).toBe(t0);
  }

  // read-only bd commands do not invalidate it
  {
    const t0 = takenAt(repo.dir);
    repo.bd(["list", "--json"]);
    repo.bd(["show", id, "--json"]);
    repo.bd(["ready", "--json"]);
    expect(repo.write_(SID_B, "src/api/a.ts").decision).toBe("deny");
    expect(takenAt(repo.dir)).toBe(t0);
  }

  // an update of the description refreshes it and moves the claim
  {
    const t0 = takenAt(repo.dir);
    repo.bd(["update", id, "--description", "Files: src/web/"], ME_A);
    expect(repo.write_(SID_B, "src/api/a.ts").decision).toBe("allow");
    expect(repo.write_(SID_B, "src/web/index.ts").decision).toBe("deny");
    expect(takenAt(repo.dir)).toBeGreaterThan(t0);
  }

  // a new claim by someone else is seen at once
  {
    const other = repo.bead("Schema", "Files: db/schema.sql");
    expect(repo.write_(SID_A, "db/schema.sql").decision).toBe("allow");
    repo.claim(other, "claude-bbbbbbbb");
    expect(repo.write_(SID_A, "db/schema.sql").decision).toBe("deny");
  }

  // closing the bead frees its files
  {
    const t0 = takenAt(repo.dir);
    repo.bd(["close", id], ME_A);
    expect(repo.write_(SID_B, "src/web/index.ts").decision).toBe("allow");
    expect(takenAt(repo.dir)).toBeGreaterThan(t0);
  }

  // a corrupt snapshot is rebuilt
  {
    writeFileSync(snapFile(repo.dir), "{ this is not json");
    expect(repo.write_(SID_A, "db/schema.sql").decision).toBe("deny");
    expect(() => JSON.parse(readFileSync(snapFile(repo.dir), "utf8"))).not.toThrow();
  }

  // a snapshot of another format version is rebuilt, not trusted
  {
    const snap = JSON.parse(readFileSync(snapFile(repo.dir), "utf8"));
    // A forged old-version snapshot that says nothing is claimed must not let the edit through.
    writeFileSync(snapFile(repo.dir), JSON.stringify({ ...snap, version: 1, beads: [] }));
    expect(repo.write_(SID_A, "db/schema.sql").decision).toBe("deny");
    expect(JSON.parse(readFileSync(snapFile(repo.dir), "utf8")).version).not.toBe(1);
  }

  // coord snapshot --refresh forces a bd call
  {
    const t0 = takenAt(repo.dir);
    const r = repo.coord(["snapshot", "--refresh"]);
    expect(r.code).toBe(0);
    expect(takenAt(repo.dir)).toBeGreaterThan(t0);
    const j = JSON.parse(repo.coord(["snapshot", "--json"]).stdout);
    expect(j.freshness).toBe("fresh");
    expect(j.beads.some((b: { status: string }) => b.status === "in_progress")).toBe(true);
  }
}, 120_000);

describe("hooks that find the snapshot stale at the same moment", () => {
  test("call bd once between them and all decide correctly", async () => {
    const repo = tempRepo();
    const id = repo.bead("Routes", "Files: src/api/");
    repo.claim(id, ME_A);
    // The real bd, behind a wrapper that counts its calls.
    const bin = tempDir("coord-count-");
    const log = join(bin, "calls.log");
    const real = Bun.which("bd", { PATH: process.env.PATH ?? "" })!;
    writeFileSync(join(bin, "counting"), `#!/bin/sh\necho "$*" >> '${log}'\nexec '${real}' "$@"\n`);
    chmodSync(join(bin, "counting"), 0o755);
    const { COORD, cleanEnv } = await import("../support/world");
    const env = cleanEnv(repo.home, { ...repo.env, COORD_BD: join(bin, "counting") });
    const procs = Array.from({ length: 6 }, (_, i) =>
      Bun.spawn([COORD, "hook"], {
        cwd: repo.dir,
        env,
        stdin: new TextEncoder().encode(JSON.stringify({ session_id: SID_B, hook_event_name: "PreToolUse", cwd: repo.dir, tool_name: "Write", tool_input: { file_path: repo.path(`src/api/f${i}.ts`) } })),
        stdout: "pipe",
        stderr: "pipe",
      }),
    );
    const outs = await Promise.all(procs.map(async (p) => ({ out: await new Response(p.stdout).text(), code: await p.exited })));
    for (const o of outs) {
      expect(o.code).toBe(0);
      expect(JSON.parse(o.out).hookSpecificOutput.permissionDecision).toBe("deny");
    }
    const calls = readFileSync(log, "utf8").trim().split("\n").filter((l) => l.startsWith("list"));
    expect(calls.length).toBe(1);
  });
});
