// Two supported bd versions on one database, with the real binaries: bd 1.3.0 migrates a database
// bd 1.0.5 made on its first command (seconds, past the hook's budget), after which bd 1.0.5 reads
// it but cannot write. coord's hook never lets an edit through on that; doctor and claim say what
// happened and what to do.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { BD_LEASES, BD_PAIR, ME_A, Repo, SID_B, cleanEnv, cleanupAll, must, sh, tempDir } from "../support/world";

afterAll(cleanupAll);

/** A repository whose beads database bd 1.0.5 made, with ME_A's claim on src/api/. */
function oldRepo(): { repo: Repo; id: string } {
  const pair = BD_PAIR as { old: string; new: string };
  const home = tempDir("coord-home-");
  const dir = join(tempDir(), "repo");
  mkdirSync(dir);
  const env = cleanEnv(home);
  must(sh(["git", "init", "-q", "-b", "main"], dir, env), "git init");
  must(sh([pair.old, "init", "--prefix", "t", "--quiet", "--skip-hooks", "--skip-agents", "--non-interactive"], dir, env), "bd 1.0.5 init");
  const id = must(sh([pair.old, "create", "Routes", "-t", "task", "--description", "Files: src/api/", "--silent", "--actor", "tester"], dir, env), "create").trim();
  must(sh([pair.old, "update", id, "--claim", "--actor", ME_A], dir, env), "claim");
  const repo = new Repo(dir, home);
  repo.git("config", "user.name", "Test");
  repo.git("config", "user.email", "test@coord.invalid");
  return { repo, id };
}

// Once per suite run (the 1.3.0 pass): these tests name both binaries themselves.
describe.skipIf(!BD_PAIR || !BD_LEASES)("a database made by bd 1.0.5, opened by bd 1.3.0", () => {
  const pair = BD_PAIR as { old: string; new: string };

  test(
    "a hook that meets the migration refuses the claimed file with a retry card (bd is not killed midway), and a retry decides on the migrated claims",
    async () => {
      const { repo, id } = oldRepo();
      // The hook's own budget (the suite's default is patient): the migration takes longer.
      const hookEnv = { COORD_BD: pair.new, COORD_REFRESH_BUDGET_MS: "2000" };
      const first = repo.write_(SID_B, "src/api/routes.ts", {}, hookEnv);
      // Refused either way: with a retry card while bd migrates, or (when bd finished within the
      // budget) with the claim's own card. Never allowed on no claims.
      expect(first.decision).toBe("deny");
      expect(first.reason.includes("retry") || first.reason.includes(`${id} "Routes" is in progress`)).toBe(true);
      // The refresh goes on in the background: bd finishes its migration, and a retry sees the claim.
      const end = Date.now() + 60_000;
      let after = repo.write_(SID_B, "src/api/routes.ts", {}, hookEnv);
      while (!after.reason.includes(`${id} "Routes" is in progress`) && Date.now() < end) {
        await Bun.sleep(500);
        after = repo.write_(SID_B, "src/api/routes.ts", {}, hookEnv);
      }
      expect(after.decision).toBe("deny");
      expect(after.reason).toContain(`${id} "Routes" is in progress`);
      expect(repo.write_(SID_B, "src/free.ts", {}, hookEnv).decision).toBe("allow");
    },
    120_000,
  );

  test(
    "coord doctor runs the migration itself, so no hook meets it",
    () => {
      const { repo } = oldRepo();
      const d = repo.coord(["doctor"], { COORD_BD: pair.new });
      expect(d.stdout).toContain(`ok   coord runs bd 1.3.0 at ${pair.new} (from COORD_BD)`);
      expect(d.stdout).toContain("ok   bd 1.3.0 migrated the database from bd 1.0.5's format");
      expect(d.stderr).toContain("bd 1.3.0 migrates this beads database from bd 1.0.5's format first");
      const w = repo.write_(SID_B, "src/api/routes.ts", {}, { COORD_BD: pair.new });
      expect(w.decision).toBe("deny");
      expect(w.reason).not.toContain("retry");
    },
    120_000,
  );

  test(
    "afterwards bd 1.0.5 can read but not write: doctor says so, coord claim says why in words",
    () => {
      const { repo } = oldRepo();
      must(sh([pair.new, "list", "--json"], repo.dir, repo.env), "bd 1.3.0 list (migrates)");
      // bd 1.0.5 rewrites .beads/.local_version to its own version when it reads, so doctor
      // relies on what only bd 1.3.0 leaves behind.
      must(sh([pair.old, "list", "--json"], repo.dir, repo.env), "bd 1.0.5 list");
      const d = repo.coord(["doctor"], { COORD_BD: pair.old });
      expect(d.code).toBe(1);
      expect(d.stdout).toContain("FAIL the beads database has been opened by bd 1.3.0, which migrated it to a schema coord's bd 1.0.5 can read but not write");

      const id = must(sh([pair.new, "create", "More", "-t", "task", "--description", "Files: docs/", "--silent", "--actor", "tester"], repo.dir, repo.env), "create").trim();
      const c = repo.coord(["claim", id], { COORD_BD: pair.old, BEADS_ACTOR: "bob" });
      expect(c.code).toBe(1);
      expect(c.stderr).toContain("the beads database was migrated by a newer bd (1.3.0) than the one coord runs (bd 1.0.5)");
      expect(c.stderr).toContain("point COORD_BD at it");
      expect(c.stderr).not.toContain("Error 1105");
    },
    120_000,
  );

  test(
    "doctor names a bd on PATH that is not coord's",
    () => {
      const { repo } = oldRepo();
      const d = repo.coord(["doctor"], { COORD_BD: pair.old, PATH: `${join(pair.new, "..")}:${process.env.PATH}` });
      expect(d.stdout).toContain(`warn the bd on PATH (${pair.new}, bd 1.3.0) is not coord's (${pair.old}, bd 1.0.5): the first command it runs here migrates the database`);
    },
    120_000,
  );
});
