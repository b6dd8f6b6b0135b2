// coord claim with the real bd: overlap refused, --force, beads without Files:, identity.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ME_A, cleanupAll, tempRepo, type Repo } from "../support/world";

afterAll(cleanupAll);

describe("coord claim", () => {
  const show = (id: string) => JSON.parse(repo.bd(["show", id, "--json"]))[0] as { status: string; assignee?: string };
  let repo!: Repo;
  let theirs!: string;
  let overlapping!: string;
  let apart!: string;
  let loose!: string;
  beforeAll(() => {
    repo = tempRepo();
    theirs = repo.bead("Add API routes", "Files: src/api/");
    overlapping = repo.bead("Add user endpoint", "Files: src/api/users.ts, src/db/users.sql");
    apart = repo.bead("Write the guide", "Files: docs/guide.md");
    loose = repo.bead("Tidy things", "nothing named");
    repo.claim(theirs, ME_A);
  });

  test("refuses a bead whose files overlap another session's claim, naming bead and owner", () => {
    const r = repo.coord(["claim", overlapping], { BEADS_ACTOR: "bob" });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`coord: refused to claim ${overlapping} "Add user endpoint"`);
    expect(r.stderr).toContain(`${theirs} "Add API routes" is in progress and its Files: src/api/ overlaps src/api/users.ts`);
    expect(r.stderr).toContain(`${ME_A} (you are bob)`);
    expect(r.stderr).toContain(`coord claim ${overlapping} --force`);
    expect(show(overlapping).status).toBe("open");
  });

  test("claims a bead that overlaps nobody, for this shell's identity, and refreshes the snapshot", () => {
    const r = repo.coord(["claim", apart], { BEADS_ACTOR: "bob" });
    expect(r.code).toBe(0);
    expect(show(apart)).toMatchObject({ status: "in_progress", assignee: "bob" });
    const status = JSON.parse(repo.coord(["status", "--json"], { PATH: "/usr/bin:/bin" }).stdout);
    expect(status.claims.freshness).toBe("fresh");
    expect(status.owners.find((o: { owner: string }) => o.owner === "bob")?.beads.map((b: { id: string }) => b.id)).toEqual([apart]);
  });

  test("--force claims despite the overlap, with a warning", () => {
    const r = repo.coord(["claim", overlapping, "--force"], { BEADS_ACTOR: "bob" });
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toContain(`overlap with ${theirs} (${ME_A})`);
    expect(show(overlapping)).toMatchObject({ status: "in_progress", assignee: "bob" });
  });

  test("warns about a bead without Files: and gives the fix, then claims it", () => {
    const r = repo.coord(["claim", loose], { CLAUDE_CODE_SESSION_ID: "dddddddd-4444-4444-8444-444444444444" });
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toContain(`${loose} "Tidy things" has no Files: line`);
    expect(r.stdout + r.stderr).toContain(`fix: bd update ${loose} --metadata`);
    expect(show(loose)).toMatchObject({ status: "in_progress", assignee: "claude-dddddddd" });
  });

  test("refuses clearly when this shell has no identity", () => {
    const other = repo.bead("Another", "Files: other/");
    const r = repo.coord(["claim", other]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`cannot claim ${other}: this shell has no identity`);
    expect(r.stderr).toContain("BEADS_ACTOR=<your name>");
    expect(show(other).status).toBe("open");
  });

  test("passes on bd's refusal of a bead someone else holds", () => {
    const r = repo.coord(["claim", theirs, "--force"], { BEADS_ACTOR: "bob" });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`bd refused to claim ${theirs} for bob`);
    expect(r.stderr).toContain(`already claimed by ${ME_A}`);
    expect(show(theirs).assignee).toBe(ME_A);
  });

  test("names a bead that does not exist", () => {
    const r = repo.coord(["claim", "t-nope"], { BEADS_ACTOR: "bob" });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("no bead t-nope");
  });
});
