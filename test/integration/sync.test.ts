// Claims across machines with the real bd: two clones of one bare origin, each with its own HOME.
// bd's Dolt remote carries the claims; coord pulls at SessionStart, pushes after a claim, and
// names a split brain on both sides.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { bdVersion, twoMachines } from "../support/machines";
import type { Repo } from "../support/world";
import { cleanupAll } from "../support/world";

afterAll(cleanupAll);

const ALICE = { BEADS_ACTOR: "alice" };
const BOB = { BEADS_ACTOR: "bob" };
const NEW_BD = !/version 1\.0\./.test(bdVersion());

const syncRecord = (r: Repo) => {
  const f = join(r.dir, ".git", "coord", "sync.json");
  return existsSync(f) ? JSON.parse(readFileSync(f, "utf8")) : null;
};

const start = (r: Repo, sid: string, env: Record<string, string>) =>
  r.hook({ session_id: sid, hook_event_name: "SessionStart", cwd: r.dir, source: "startup" }, env);
const banner = (run: ReturnType<typeof start>) => String((run.json?.hookSpecificOutput as { additionalContext?: string })?.additionalContext ?? "");

async function until(what: string, ok: () => boolean, ms = 40_000): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(100);
  }
}

describe("a claim travels from A to B without a manual pull", () => {
  test("A's plain bd claim is pushed after its Bash command; B's next session start pulls it and B's edit is refused", async () => {
    const { a, b } = twoMachines();
    const id = a.bead("Schema", "Files: src/db/");
    a.claim(id, "alice");
    // What Claude Code sends after the session's `bd update <id> --claim` ran: the push starts detached.
    const post = a.hook({ session_id: "s-a", hook_event_name: "PostToolUse", cwd: a.dir, tool_name: "Bash", tool_input: { command: `bd update ${id} --claim` }, tool_response: {} }, ALICE);
    expect(post.code).toBe(0);
    await until("A's detached push", () => syncRecord(a)?.lastPush?.kind === "ok");

    // B has not pulled: its database does not know the claim yet.
    expect(b.write_("s-b", "src/db/users.sql", {}, { ...BOB, COORD_SYNC: "off" }).decision).toBe("allow");
    // The wait is the hook's to bound (2.5 s by default); under a loaded test machine it gets room.
    const s = start(b, "s-b", { ...BOB, COORD_SYNC_WAIT_MS: "20000", COORD_HOOK_DEADLINE_MS: "30000" });
    expect(s.code).toBe(0);
    expect(banner(s)).toContain(`${id} alice: src/db/`);
    expect(banner(s)).toMatch(/remote: pulled \d+s ago/);
    const w = b.write_("s-b", "src/db/users.sql", {}, BOB);
    expect(w.decision).toBe("deny");
    expect(w.reason).toContain("whose: alice (you are bob)");
    expect(w.reason).toMatch(/remote: pulled \d+s ago/);

    // A pull that brings nothing appends the same root to Dolt's journal: no refresh follows.
    const takenAt = () => JSON.parse(readFileSync(join(b.dir, ".git", "coord", "claims.json"), "utf8")).takenAt;
    const before = takenAt();
    b.bd(["dolt", "pull"]);
    expect(b.write_("s-b", "src/db/users.sql", {}, { ...BOB, COORD_SYNC: "off" }).decision).toBe("deny");
    expect(takenAt()).toBe(before);
  }, 180_000);
});

describe("coord claim across machines", () => {
  test("pulls before it checks (A's pushed claim refuses B's overlapping one) and pushes right after", () => {
    const { a, b } = twoMachines();
    const schema = a.bead("Schema", "Files: src/db/");
    const mine = a.coord(["claim", schema], ALICE);
    expect(mine.code).toBe(0);
    expect(mine.stdout + mine.stderr).toContain("pushed to");
    const users = b.bead("Users table", "Files: src/db/users.sql");
    const refused = b.coord(["claim", users], BOB);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${schema} "Schema" is in progress and its Files: src/db/ overlaps src/db/users.sql`);
    const docs = b.bead("Docs", "Files: docs/");
    const ok = b.coord(["claim", docs], BOB);
    expect(ok.code).toBe(0);
    expect(ok.stdout + ok.stderr).toContain("pushed to");
    // A's next pull has it: A's session is refused B's file.
    expect(a.coord(["sync", "--pull-only"], ALICE).code).toBe(0);
    expect(a.write_("s-a", "docs/guide.md", {}, { ...ALICE, COORD_SYNC: "off" }).decision).toBe("deny");
  }, 180_000);
});

describe("the same bead claimed on both machines while apart", () => {
  test("coord sync names the split brain on both sides, the guards refuse both, and settling ends it", async () => {
    const { a, b } = twoMachines();
    const id = a.bead("Schema", "Files: src/db/");
    expect(a.coord(["sync"], ALICE).code).toBe(0);
    expect(b.coord(["sync"], BOB).code).toBe(0);
    a.claim(id, "alice");
    // A later write wins bd 1.3.0's last-write-wins merge; the second matters, not the order.
    await Bun.sleep(1100);
    b.claim(id, "bob");

    const first = a.coord(["sync"], ALICE);
    expect(first.code).toBe(0);
    const second = b.coord(["sync"], BOB);
    expect(second.code).toBe(2);
    expect(second.stdout).toContain(`split brain: ${id} "Schema" is claimed on two machines`);
    expect(second.stdout).toContain("whose: bob here, alice on another machine");
    expect(second.stdout).toContain(`coord sync --settle ${id} --keep ours`);
    expect(second.stdout).toContain(`coord sync --settle ${id} --keep theirs`);
    const write = (r: Repo, sid: string, who: Record<string, string>) => r.write_(sid, "src/db/users.sql", {}, { ...who, COORD_SYNC: "off" });
    // B's guard does not treat the bead as bob's alone, whatever its own database says.
    const onB = write(b, "s-b", BOB);
    expect(onB.decision).toBe("deny");
    expect(onB.reason).toContain(`${id} is also claimed by alice on another machine`);
    expect(banner(start(b, "s-b2", { ...BOB, COORD_SYNC: "off" }))).toContain(`SPLIT BRAIN: ${id}`);
    expect(b.coord(["status"], BOB).stdout).toContain(`SPLIT BRAIN: ${id} "Schema" is claimed by bob here and by alice on another machine`);

    if (NEW_BD) {
      // bd 1.3.0 merged B's later claim over A's and B pushed it: A's next sync finds its claim replaced.
      const third = a.coord(["sync"], ALICE);
      expect(third.code).toBe(2);
      expect(third.stdout).toContain("whose: alice here, bob on another machine");
      expect(write(a, "s-a", ALICE).decision).toBe("deny");
      expect(a.coord(["status"], ALICE).stdout).toContain(`SPLIT BRAIN: ${id} "Schema" is claimed by alice here and by bob on another machine`);
      // B gives the bead to alice; after A's next sync both agree and the split brain is gone.
      const settled = b.coord(["sync", "--settle", id, "--keep", "theirs"], BOB);
      expect(settled.code).toBe(0);
      expect(settled.stdout).toContain(`${id} settled for alice`);
      expect(a.coord(["sync"], ALICE).code).toBe(0);
      expect(write(a, "s-a", ALICE).decision).toBe("allow");
      expect(write(b, "s-b", BOB).decision).toBe("deny");
    } else {
      // bd 1.0.5 cannot merge the two claims: B's database is as it was, and A hears of it only
      // once B settles by overwriting the remote (keep ours), which A's next pull meets as a conflict.
      expect(second.stdout).toContain("bd merged nothing");
      expect(second.stdout).toContain("bd dolt push --force");
      expect(a.coord(["sync"], ALICE).code).toBe(0);
      expect(b.coord(["sync", "--settle", id, "--keep", "ours"], BOB).code).toBe(0);
      const third = a.coord(["sync"], ALICE);
      expect(third.code).toBe(2);
      expect(third.stdout).toContain("whose: alice here, bob on another machine");
      expect(third.stdout).toContain("bd bootstrap --yes");
      expect(write(a, "s-a", ALICE).decision).toBe("deny");
      // A keeps the remote's: its database is re-cloned (the old one moved aside), bob holds the bead.
      const settled = a.coord(["sync", "--settle", id, "--keep", "theirs"], ALICE);
      expect(settled.code).toBe(0);
      expect(write(a, "s-a", ALICE).decision).toBe("deny");
      expect(write(b, "s-b", BOB).decision).toBe("allow");
    }
    expect(a.coord(["status"], ALICE).stdout).not.toContain("SPLIT BRAIN");
    expect(b.coord(["status"], BOB).stdout).not.toContain("SPLIT BRAIN");
  }, 300_000);
});

describe("two beads with overlapping Files claimed on two machines while apart", () => {
  test("after both sync, each side's guard refuses the shared file to both owners, and the banner, status and card name the split brain", () => {
    const { a, b } = twoMachines();
    expect(a.coord(["sync"], ALICE).code).toBe(0);
    expect(b.coord(["sync"], BOB).code).toBe(0);
    // Apart: alice claims the folder on A, bob one file inside it on B. Each claim succeeds locally.
    const api = a.bead("API", "Files: src/api/");
    a.claim(api, "alice");
    const routes = b.bead("Routes", "Files: src/api/routes.ts");
    b.claim(routes, "bob");

    // A pushes first (nothing to meet yet); B's pull merges alice's row beside bob's (different
    // rows: no Dolt conflict) and finds the overlap; A's next sync brings bob's claim the same way.
    expect(a.coord(["sync"], ALICE).code).toBe(0);
    const onB = b.coord(["sync"], BOB);
    expect(onB.code).toBe(2);
    expect(onB.stdout).toContain(`split brain: ${routes} and ${api} claim overlapping files`);
    expect(onB.stdout).toContain("whose: bob here, alice on another machine");
    const onA = a.coord(["sync"], ALICE);
    expect(onA.code).toBe(2);
    expect(onA.stdout).toContain(`split brain: ${api} and ${routes} claim overlapping files`);
    expect(onA.stdout).toContain("whose: alice here, bob on another machine");

    const off = (who: Record<string, string>) => ({ ...who, COORD_SYNC: "off" });
    const sides = [
      { r: a, me: ALICE, mine: api, theirs: routes, other: "bob", here: "alice" },
      { r: b, me: BOB, mine: routes, theirs: api, other: "alice", here: "bob" },
    ] as const;
    for (const s of sides) {
      // Another's claim wins even over one's own overlapping claim: both owners are refused.
      const w = s.r.write_(`s-${s.here}`, "src/api/routes.ts", {}, off(s.me));
      expect(w.decision).toBe("deny");
      expect(w.reason).toContain(`whose: ${s.other} (you are ${s.here})`);
      expect(w.reason).toContain(`${s.theirs} (${s.other}, claimed on another machine) and ${s.mine} (${s.here}, claimed here) both claim src/api/routes.ts: a split brain found by coord sync`);
      expect(w.reason).toContain(`settle: coord sync --settle ${s.mine} --keep ours|theirs`);
      const line = `SPLIT BRAIN: ${s.mine} (${s.here}, here) and ${s.theirs} (${s.other}, another machine) both claim src/api/routes.ts`;
      const settle = `settle: coord sync --settle ${s.mine} --keep ours|theirs (ours releases ${s.theirs}, theirs ${s.mine})`;
      const shown = banner(start(s.r, `s2-${s.here}`, off(s.me)));
      expect(shown).toContain(line);
      expect(shown).toContain(settle);
      expect(shown.split("\n").length).toBeLessThanOrEqual(10);
      const status = s.r.coord(["status"], s.me).stdout;
      expect(status).toContain(line);
      expect(status).toContain(settle);
    }
    // alice's own folder outside bob's file is still hers alone.
    expect(a.write_("s-alice", "src/api/users.ts", {}, off(ALICE)).decision).toBe("allow");

    // B gives way (keep the remote's: bob's bead is released); after A's next sync it is over.
    const settled = b.coord(["sync", "--settle", routes, "--keep", "theirs"], BOB);
    expect(settled.code).toBe(0);
    expect(settled.stdout).toContain(`${routes} settled for alice`);
    expect(a.coord(["sync"], ALICE).code).toBe(0);
    expect(a.write_("s-alice", "src/api/routes.ts", {}, off(ALICE)).decision).toBe("allow");
    expect(b.write_("s-bob", "src/api/routes.ts", {}, off(BOB)).decision).toBe("deny");
    expect(a.coord(["status"], ALICE).stdout).not.toContain("SPLIT BRAIN");
    expect(b.coord(["status"], BOB).stdout).not.toContain("SPLIT BRAIN");
  }, 300_000);
});

describe("a push the remote rejects", () => {
  test("pulls, re-checks the claims and pushes again", () => {
    const { a, b } = twoMachines();
    const mine = b.bead("Docs", "Files: docs/");
    b.claim(mine, "bob");
    const theirs = a.bead("Schema", "Files: src/db/");
    a.claim(theirs, "alice");
    expect(a.coord(["sync"], ALICE).code).toBe(0);

    const r = b.coord(["sync", "--push-only"], BOB);
    expect(r.code).toBe(0);
    const steps = r.stdout.split("\n").filter((l) => /^coord sync: (push|pull)/.test(l)).map((l) => l.split(" ").slice(2, 4).join(" "));
    expect(steps).toEqual(["push rejected:", "pulled from", "pushed to"]);
    expect(syncRecord(b)).toMatchObject({ lastPush: { kind: "ok" }, remoteAhead: false, contests: [] });
    // The re-check merged A's claim: B's session is refused A's files, and A gets B's claim.
    expect(b.write_("s-b", "src/db/users.sql", {}, { ...BOB, COORD_SYNC: "off" }).decision).toBe("deny");
    expect(a.coord(["sync"], ALICE).code).toBe(0);
    expect(a.write_("s-a", "docs/guide.md", {}, { ...ALICE, COORD_SYNC: "off" }).decision).toBe("deny");
  }, 180_000);
});

describe("an unreachable remote", () => {
  test("gives one clear line, does not hang, and the guard still decides on the local claims", () => {
    const { origin, b } = twoMachines();
    const id = b.bead("Docs", "Files: docs/");
    b.claim(id, "bob");
    renameSync(origin, `${origin}.gone`);

    const t0 = Date.now();
    const r = b.coord(["sync", "--budget-ms", "20000"], BOB);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/coord sync: pull unreachable: .*does not appear to be a git repository/);
    expect(Date.now() - t0).toBeLessThan(20_000);

    const s = start(b, "s-c", { BEADS_ACTOR: "carol" });
    expect(s.code).toBe(0);
    expect(banner(s)).toContain("remote: the last pull");
    expect(banner(s)).toContain("failed (unreachable");
    const w = b.write_("s-c", "docs/guide.md", {}, { BEADS_ACTOR: "carol" });
    expect(w.decision).toBe("deny");
    expect(w.reason).toContain("failed (unreachable");
    expect(b.coord(["status"], BOB).stdout).toContain("failed (unreachable");

    // A budget too small for bd ends the pull and says so, instead of waiting.
    renameSync(`${origin}.gone`, origin);
    const short = b.coord(["sync", "--budget-ms", "150"], BOB);
    expect(short.code).toBe(1);
    expect(short.stdout).toContain("ran out of time");
  }, 180_000);
});
