// The edit guard, end to end through the compiled binary and a real beads database.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ME_A, SID_A, SID_B, cleanupAll, tempRepo, type Repo } from "../support/world";

afterAll(cleanupAll);

describe("a file claimed by another session's in-progress bead", () => {
  let repo!: Repo;
  let id!: string;
  beforeAll(() => {
    repo = tempRepo();
    id = repo.bead("Add API routes", "Files: src/api/");
    repo.claim(id, ME_A);
  });

  test("is refused for session B with a card naming file, bead and owner", () => {
    const r = repo.write_(SID_B, "src/api/routes.ts");
    expect(r.code).toBe(0);
    expect(r.decision).toBe("deny");
    expect(r.reason).toContain("src/api/routes.ts");
    expect(r.reason).toContain(id);
    expect(r.reason).toContain("Add API routes");
    expect(r.reason).toContain(ME_A);
    expect(r.reason).toContain("bd ready");
  });

  test("is allowed for its owner", () => {
    expect(repo.write_(SID_A, "src/api/routes.ts").decision).toBe("allow");
  });

  test("leaves unclaimed files alone", () => {
    const r = repo.write_(SID_B, "src/db/schema.ts");
    expect(r.decision).toBe("allow");
    expect(r.stdout).toBe("");
  });
});

describe("a claim written as a glob", () => {
  let repo!: Repo;
  beforeAll(() => {
    repo = tempRepo();
    repo.claim(repo.bead("Docs", "Files: docs/**/*.md, web/{a,b}.css"), ME_A);
  });

  test("covers what the glob matches, through the compiled binary", () => {
    expect(repo.write_(SID_B, "docs/guide/intro.md").decision).toBe("deny");
    expect(repo.write_(SID_B, "web/b.css").decision).toBe("deny");
    expect(repo.write_(SID_B, "docs/guide/intro.txt").decision).toBe("allow");
    expect(repo.write_(SID_B, "web/c.css").decision).toBe("allow");
  });
});
