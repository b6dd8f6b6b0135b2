// coord status against a real beads database: the picture, the JSON schema, many ready beads.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ME_A, ME_B, SID_A, cleanupAll, tempRepo, type Repo, type HookRun } from "../support/world";

afterAll(cleanupAll);

const PATH_WITHOUT_BD = (process.env.PATH ?? "")
  .split(":")
  .filter((d) => d && !existsSync(join(d, "bd")))
  .join(":");

describe("coord status", () => {
  let repo!: Repo;
  let api!: string;
  let loose!: string;
  let ready!: string;
  let start!: HookRun;
  beforeAll(() => {
    repo = tempRepo();
    repo.write(
      "coord.toml",
      `[[zone]]\nname = "api"\nkind = "owned"\npaths = ["src/api/"]\n\n[[zone]]\nname = "types"\nkind = "shared"\npaths = ["src/types/"]\nnote = "everyone's"\n`,
    );
    api = repo.bead("Add API routes", "Files: src/api/");
    loose = repo.bead("Tidy things", "no files named here");
    ready = repo.bead("Write the guide", "Files: docs/guide.md");
    repo.claim(api, ME_A);
    repo.claim(loose, ME_B);
    // A session starting records itself (and warms the snapshot, as in real use).
    start = repo.hook({ session_id: SID_A, hook_event_name: "SessionStart", cwd: repo.dir, source: "startup" });
  });

  test("--json follows schema coord.status/1", () => {
    expect(start.code).toBe(0);
    const r = repo.coord(["status", "--json"], { BEADS_ACTOR: ME_B });
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.schema).toBe("coord.status/1");
    expect(Object.keys(s).sort()).toEqual(
      ["schema", "generatedAt", "repo", "identity", "claims", "configError", "owners", "withoutFiles", "staleClaims", "staleClaimHours", "flaggedClaims", "zones", "freeOutsideZones", "sessions", "ready", "readyTotal", "worktreeOverlaps", "remote"].sort(),
    );
    expect(s.identity).toBe(ME_B);
    expect(s.claims.freshness).toMatch(/^(fresh|refreshed)$/);
    expect(s.owners.map((o: { owner: string; mine: boolean }) => [o.owner, o.mine])).toEqual([
      [ME_B, true],
      [ME_A, false],
    ]);
    expect(s.withoutFiles).toEqual([{ id: loose, title: "Tidy things", owner: ME_B }]);
    expect(s.zones).toEqual([
      { name: "api", kind: "owned", paths: ["src/api/"], note: "", state: "claimed", coverage: "whole", freeFolders: [], claimedBy: [{ id: api, owner: ME_A }] },
      { name: "types", kind: "shared", paths: ["src/types/"], note: "everyone's", state: "free", coverage: "free", freeFolders: [], claimedBy: [] },
    ]);
    expect(s.sessions).toHaveLength(1);
    expect(s.sessions[0]).toMatchObject({ identity: ME_A, sessionId: SID_A, state: "active", holding: [api] });
    expect(s.ready.map((b: { id: string }) => b.id)).toEqual([ready]);
    expect(s.staleClaims).toEqual([]);
  });

  test("prints the picture for a person, without colour when not on a terminal", () => {
    const r = repo.coord(["status"], { BEADS_ACTOR: ME_B });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${ME_A}: 1`);
    expect(r.stdout).toContain(`"Add API routes": src/api/`);
    expect(r.stdout).toContain("In progress without Files: (1)");
    expect(r.stdout).toMatch(/types\s+shared\s+src\/types\/\s+free/);
    expect(r.stdout).toContain(`${ME_A}  active`);
    expect(r.stdout).not.toContain("\x1b[");
  });

  test("reads a fresh snapshot without running bd", () => {
    const r = repo.coord(["status", "--json"], { PATH: PATH_WITHOUT_BD });
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.claims.freshness).toBe("fresh");
    expect(s.owners.length).toBe(2);
  });
});

describe("coord status with more ready work than it keeps", () => {
  test("lists the best 50, counts them all, and skips those that overlap a claim", () => {
    const repo = tempRepo();
    const lines = Array.from({ length: 70 }, (_, i) =>
      JSON.stringify({ title: `Task ${i}`, description: `Files: ${i < 10 ? "src/api/x.ts" : `mod${i}/`}`, issue_type: "task", priority: i >= 10 && i < 15 ? 0 : 2 }),
    );
    repo.write("many.jsonl", `${lines.join("\n")}\n`);
    repo.bd(["import", repo.path("many.jsonl")]);
    repo.claim(repo.bead("Routes", "Files: src/api/"), ME_A);
    const s = JSON.parse(repo.coord(["status", "--json"]).stdout);
    // 70 open beads, 10 of them on the claimed folder: 60 ready, 50 kept, the P0 ones first.
    expect(s.readyTotal).toBe(60);
    expect(s.ready.length).toBe(50);
    expect(s.ready.some((r: { files: string[] }) => r.files.includes("src/api/x.ts"))).toBe(false);
    expect(s.ready.slice(0, 5).map((r: { title: string }) => r.title).sort()).toEqual(["Task 10", "Task 11", "Task 12", "Task 13", "Task 14"]);
    const text = repo.coord(["status"]).stdout;
    expect(text).toContain("Ready, overlapping no claim (60)");
    expect(text).toContain("… 55 more: bd ready");
  }, 60_000);
});
