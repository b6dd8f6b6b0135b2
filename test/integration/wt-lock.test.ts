// A worktree Claude Code works in is locked by it (`git worktree lock --reason "claude session <id>
// (pid N ...)"`). coord wt rm and done refuse it while that process runs, --force or not; coord wt
// list shows the lock; once the process is gone the lock is stale and no obstacle.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { type Repo, cleanupAll, tempRepo } from "../support/world";

afterAll(cleanupAll);

function world(): Repo {
  const repo = tempRepo();
  repo.write("a.txt", "one\n");
  repo.git("add", "-A");
  repo.git("commit", "-qm", "initial");
  return repo;
}

/** A running process standing in for the Claude Code session that holds the lock. */
const holder = () => Bun.spawn(["sleep", "120"], { stdout: "ignore", stderr: "ignore" });

describe("a worktree locked by a Claude Code session", () => {
  for (const verb of ["rm", "done"] as const) {
    test(
      `coord wt ${verb} refuses it while the session runs, and goes ahead once it is gone`,
      async () => {
        const repo = world();
        expect(repo.coord(["wt", "new", "x"]).code).toBe(0);
        const path = `${repo.dir}-x`;
        const p = holder();
        repo.git("worktree", "lock", "--reason", `claude session 0f3c9a1e-77aa-4bbb-8ccc-123456789abc (pid ${p.pid}, started 2026-12-01T22:00:00Z)`, path);

        const list = repo.coord(["wt", "list"]);
        expect(list.stdout).toContain(`x (in use: Claude Code 0f3c9a1e, pid ${p.pid})`);

        const refused = repo.coord(["wt", verb, "x", ...(verb === "rm" ? ["--force"] : [])]);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain(`refused to ${verb === "rm" ? "remove" : "finish"} worktree x: a Claude Code session is working in it`);
        expect(refused.stderr).toContain(`pid ${p.pid}, running`);
        expect(existsSync(path)).toBe(true);

        p.kill();
        await p.exited;
        expect(repo.coord(["wt", "list"]).stdout).toContain(`x (stale Claude Code lock, pid ${p.pid} gone)`);
        const r = repo.coord(["wt", verb, "x"]);
        expect(r.code, r.stderr).toBe(0);
        expect(existsSync(path)).toBe(false);
      },
      60_000,
    );
  }

  test(
    "a lock of some other kind still needs --force for rm, as before",
    () => {
      const repo = world();
      expect(repo.coord(["wt", "new", "y"]).code).toBe(0);
      repo.git("worktree", "lock", "--reason", "on a USB disk", `${repo.dir}-y`);
      expect(repo.coord(["wt", "list"]).stdout).toContain("y (locked)");
      const r = repo.coord(["wt", "rm", "y"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("it is locked: on a USB disk");
    },
    60_000,
  );
});
