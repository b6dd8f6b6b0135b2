// Across machines, as values: what bd's pull and push said (captured from bd 1.0.5 and 1.3.0),
// which split brains a pull reveals, how long they stand, and what the session is told.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Bead } from "../../src/core/claims";
import { BANNER_MAX_LINES, BANNER_WIDTH, renderBanner } from "../../src/core/banner";
import { decide } from "../../src/core/policy";
import { decisionOutcome } from "../../src/core/render";
import {
  type Contest,
  type SyncRecord,
  bdGeneration,
  claimsWithRemote,
  classifyPull,
  contestLines,
  contestText,
  classifyPush,
  emptyRecord,
  findContests,
  isBdWrite,
  liveContests,
  remoteDoctor,
  remoteLine,
  settlePush,
  settleSteps,
} from "../../src/core/sync";

const NOW = Date.parse("2026-12-01T12:00:00Z");
const fixture = (name: string) => readFileSync(join(import.meta.dir, "../fixtures/bd-sync", name), "utf8");
// The captures hold stdout and stderr together; the exit codes are the ones bd returned.
const ran = (name: string, code: number) => ({ code, stdout: fixture(name), stderr: "", timedOut: false });
const bead = (id: string, assignee: string, files: string[], extra: Partial<Bead> = {}): Bead => ({
  id,
  title: `work ${id}`,
  status: assignee ? "in_progress" : "open",
  assignee,
  updatedAt: "2026-12-01T11:50:00Z",
  priority: 2,
  files,
  blockedBy: [],
  ...extra,
});
const REMOTE = { configured: true as const, url: "git+ssh://git@host/repo.git" };

describe("what bd's pull said", () => {
  test.each([
    ["pull-nothing-1.0.5.txt", 0, "ok"],
    ["pull-nothing-1.3.0.txt", 0, "ok"],
    ["pull-lww-1.3.0.txt", 0, "ok"],
    ["pull-conflict-1.0.5.txt", 1, "conflict"],
    ["pull-conflict-1.3.0.txt", 1, "conflict"],
    ["pull-unreachable-1.3.0.txt", 1, "unreachable"],
  ])("%s is %s", (file, code, kind) => {
    expect(classifyPull(ran(file, code)).kind).toBe(kind as never);
  });

  test("bd 1.3.0's silent last-write-wins merge of a claim is noticed", () => {
    const r = classifyPull(ran("pull-lww-1.3.0.txt", 0));
    expect(r.superseded).toEqual(["t-015"]);
  });

  test("a conflict's line is bd's own, without the noise around it", () => {
    expect(classifyPull(ran("pull-conflict-1.0.5.txt", 1)).detail).toStartWith("merge origin/main: Merge conflict detected, @autocommit transaction rolled back");
  });

  test("a pull killed by its budget, or a bd that does not start, is said so", () => {
    expect(classifyPull({ code: null, stdout: "", stderr: "", timedOut: true }).kind).toBe("timeout");
    expect(classifyPull({ code: null, stdout: "", stderr: "", timedOut: false, spawnError: "ENOENT" }).kind).toBe("failed");
  });
});

describe("what bd's push said", () => {
  test.each([
    ["push-rejected-1.0.5.txt", 1, "rejected"],
    ["push-rejected-1.3.0.txt", 1, "rejected"],
    ["push-unreachable-1.3.0.txt", 1, "unreachable"],
  ])("%s is %s", (file, code, kind) => {
    expect(classifyPush(ran(file, code)).kind).toBe(kind as never);
  });

  test("a rejection is named by git's own line", () => {
    expect(classifyPush(ran("push-rejected-1.3.0.txt", 1)).detail).toBe("[rejected]            main -> main (non-fast-forward)");
  });
});

describe("split brains a pull reveals", () => {
  const schema = (who: string, at = "2026-12-01T11:50:00Z") => bead("t-1", who, ["src/db/"], { updatedAt: at });

  test("this clone kept its claim over the remote's (bd 1.3.0 keeps the later write)", () => {
    const { contests } = findContests({ before: [schema("bob")], after: [schema("bob")], remote: [schema("alice")], mergeFailed: false, now: NOW });
    expect(contests).toMatchObject([{ kind: "same-bead", id: "t-1", here: "bob", there: "alice", how: "kept" }]);
  });

  test("the pull replaced this clone's claim with the remote's", () => {
    const { contests } = findContests({ before: [schema("alice")], after: [schema("bob", "2026-12-01T11:51:00Z")], remote: [], mergeFailed: false, now: NOW });
    expect(contests).toMatchObject([{ id: "t-1", here: "alice", there: "bob", how: "overwritten", updatedAt: "2026-12-01T11:51:00Z" }]);
  });

  test("a failed merge: the remote's claims are kept beside this clone's, not lost", () => {
    const other = bead("t-2", "carol", ["docs/"]);
    const r = findContests({ before: [schema("bob")], after: [schema("bob")], remote: [schema("alice"), other], mergeFailed: true, now: NOW });
    expect(r.contests).toMatchObject([{ id: "t-1", how: "conflict" }]);
    expect(r.unmerged.map((b) => `${b.id}:${b.assignee}`)).toEqual(["t-1:alice", "t-2:carol"]);
  });

  test("two beads with overlapping files, one claimed here and one arriving from the remote", () => {
    const mine = bead("t-1", "bob", ["src/db/schema.sql"]);
    const theirs = bead("t-9", "alice", ["src/db/"]);
    const { contests } = findContests({ before: [mine], after: [mine, theirs], remote: [theirs], mergeFailed: false, now: NOW });
    expect(contests).toMatchObject([{ kind: "overlap", id: "t-1", otherId: "t-9", here: "bob", there: "alice" }]);
  });

  test("nothing when both sides agree, or the other side's claim was already here", () => {
    const both = [schema("bob"), bead("t-9", "alice", ["src/db/"])];
    expect(findContests({ before: both, after: both, remote: [schema("bob")], mergeFailed: false, now: NOW }).contests).toEqual([]);
  });
});

describe("a split brain stands until someone acts", () => {
  const contest: Contest = {
    kind: "same-bead",
    id: "t-1",
    title: "Schema",
    files: ["src/db/"],
    here: "bob",
    there: "alice",
    otherId: null,
    otherFiles: [],
    how: "kept",
    at: NOW - 60_000,
    updatedAt: "2026-12-01T11:50:00Z",
  };
  const rec: SyncRecord = { ...emptyRecord("git+ssh://git@host/repo.git"), contests: [contest], lastPull: { at: NOW - 60_000, kind: "ok", detail: "", brought: true }, lastGoodPull: NOW - 60_000 };
  const held = bead("t-1", "bob", ["src/db/"]);

  test("neither identity's guard treats the bead as its own", () => {
    const claims = claimsWithRemote([held], rec, NOW);
    for (const me of ["bob", "alice"]) expect(decide({ path: "src/db/users.sql", me, claims }).verdict).toBe("deny");
    const card = decisionOutcome(decide({ path: "src/db/users.sql", me: "bob", claims }), "Write", NOW, { why: [remoteLine(REMOTE, rec, NOW) ?? ""] }).reason ?? "";
    expect(card).toContain("t-1 is also claimed by alice on another machine (split brain found by coord sync 1m ago; settle: coord sync --settle t-1 --keep ours|theirs)");
    expect(card).toContain("remote: pulled 1m ago");
  });

  test("a release or a new claim since (updated_at moved on) ends it", () => {
    expect(liveContests([contest], [held])).toHaveLength(1);
    expect(liveContests([contest], [{ ...held, updatedAt: "2026-12-01T11:59:00Z" }])).toEqual([]);
    expect(liveContests([contest], [{ ...held, status: "closed" }])).toEqual([]);
  });
});

describe("overlapping Files claimed on two machines", () => {
  // Bob's side: bob claimed src/api/routes.ts here; alice's src/api/ arrived from the remote.
  const routes = bead("t-1", "bob", ["src/api/routes.ts"]);
  const api = bead("t-9", "alice", ["src/api/"]);
  const found = findContests({ before: [routes], after: [routes, api], remote: [api], mergeFailed: false, now: NOW - 60_000 }).contests;
  const rec: SyncRecord = { ...emptyRecord("git+ssh://git@host/repo.git"), contests: found, lastPull: { at: NOW - 60_000, kind: "ok", detail: "", brought: true }, lastGoodPull: NOW - 60_000 };

  test("both owners are refused the shared file, and the card names the split brain and how to settle it", () => {
    const claims = claimsWithRemote([routes, api], rec, NOW);
    for (const me of ["bob", "alice"]) expect(decide({ path: "src/api/routes.ts", me, claims }).verdict).toBe("deny");
    // The rest of alice's folder is not contested.
    expect(decide({ path: "src/api/users.ts", me: "alice", claims }).verdict).toBe("allow");
    const card = decisionOutcome(decide({ path: "src/api/routes.ts", me: "bob", claims }), "Write", NOW).reason ?? "";
    expect(card).toContain(
      "t-9 (alice, claimed on another machine) and t-1 (bob, claimed here) both claim src/api/routes.ts: a split brain found by coord sync 1m ago, refused to both owners until one is released (settle: coord sync --settle t-1 --keep ours|theirs); its Files: src/api/ covers this file",
    );
  });

  test("status and the banner give what is shared and the settle command, each line within the banner's width", () => {
    const [what, settle] = contestText(found[0] as Contest);
    expect(what).toBe("SPLIT BRAIN: t-1 (bob, here) and t-9 (alice, another machine) both claim src/api/routes.ts");
    expect(settle).toBe("settle: coord sync --settle t-1 --keep ours|theirs (ours releases t-9, theirs t-1)");
    const banner = renderBanner({ me: "bob", beads: [routes, api], zones: [], now: NOW, staleClaimHours: 24, remote: remoteLine(REMOTE, rec, NOW), splitBrain: contestLines(found, 2) });
    expect(banner).toContain(`  ${what}\n    ${settle}\n`);
    expect(banner.split("\n").every((l) => l.length <= BANNER_WIDTH)).toBe(true);
  });

  test("many split brains: the banner shows two and counts the rest, keeping its 10 lines", () => {
    const many = Array.from({ length: 7 }, (_, k) => ({ ...(found[0] as Contest), id: `t-${k + 20}` }));
    const lines = contestLines(many, 2);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe("SPLIT BRAIN: 6 more split brain(s): coord status");
    const banner = renderBanner({ me: "bob", beads: [routes, api], zones: [], now: NOW, staleClaimHours: 24, remote: remoteLine(REMOTE, rec, NOW), splitBrain: lines });
    expect(banner.split("\n").length).toBeLessThanOrEqual(BANNER_MAX_LINES);
    expect(banner).toContain("6 more split brain(s)");
  });

  test("a glob and a file inside it share the file; two globs are named together", () => {
    const c = { ...(found[0] as Contest), files: ["src/api/**"], otherFiles: ["src/api/routes.ts", "src/*/x.ts"] };
    expect(contestText(c)[0]).toEndWith("both claim src/api/routes.ts src/api/** ∩ src/*/x.ts");
  });
});

describe("coord doctor's remote lines", () => {
  const GIT = { configured: true as const, url: "git+ssh://git@host/repo.git", name: "origin" };
  const reachable = { via: "git" as const, ms: 120, tip: "a".repeat(40), error: null };
  const synced: SyncRecord = {
    ...emptyRecord(GIT.url),
    lastPull: { at: NOW - 180_000, kind: "ok", detail: "", brought: false },
    lastGoodPull: NOW - 180_000,
    lastPush: { at: NOW - 170_000, kind: "ok", detail: "" },
  };
  const doctor = (o: Partial<Parameters<typeof remoteDoctor>[0]>) =>
    remoteDoctor({ remote: GIT, rec: synced, probe: reachable, claims: [], budgetMs: 3000, now: NOW, ...o }).map((l) => `${l.level} ${l.text}${l.fix ? `; fix: ${l.fix}` : ""}`);

  test("no remote: one ok line, claims stay here", () => {
    expect(doctor({ remote: { configured: false } })).toEqual([
      "ok no Dolt remote for the beads database: claims stay on this machine (to share them: bd dolt remote add origin <url>, then coord sync)",
    ]);
  });

  test("reachable and synced: three ok lines", () => {
    expect(doctor({})).toEqual([
      "ok Dolt remote origin (git+ssh://git@host/repo.git): reachable (git ls-remote answered in 120 ms)",
      "ok last pull 3m ago brought nothing new; last push 3m ago ok",
      "ok the last sync found no split brain and no merge conflict",
    ]);
  });

  test("a remote that did not answer in time, or a git failure, is a warning with the command to check it", () => {
    const timedOut = { via: "git" as const, ms: 3000, tip: null, error: { code: null, stdout: "", stderr: "", timedOut: true } };
    expect(doctor({ probe: timedOut })[0]).toBe(
      "warn Dolt remote origin (git+ssh://git@host/repo.git): did not answer within 3.0 s; claims made on other machines are not seen and this clone's do not reach them (the guard decides on this clone's claims); fix: check that this machine reaches it: git ls-remote ssh://git@host/repo.git refs/dolt/data; if it moved: bd dolt remote remove origin && bd dolt remote add origin <new url>; then coord sync",
    );
    const denied = { ...timedOut, error: { code: 128, stdout: "", stderr: "git@host: Permission denied (publickey).\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.\n", timedOut: false } };
    expect(doctor({ probe: denied })[0]).toStartWith("warn Dolt remote origin (git+ssh://git@host/repo.git): unreachable (Could not read from remote repository.); claims made");
  });

  test("a remote without beads data, a missing file remote, one coord does not probe", () => {
    expect(doctor({ probe: { ...reachable, tip: "none" } })[0]).toBe(
      "warn Dolt remote origin (git+ssh://git@host/repo.git): reachable (120 ms) but it holds no beads data (no refs/dolt/data); fix: bd dolt push (from the machine whose beads are to be shared), then coord sync here",
    );
    const file = { configured: true as const, url: "file:///mnt/beads", name: "origin" };
    expect(doctor({ remote: file, probe: { via: "file", ms: 0, path: "/mnt/beads", exists: false } })[0]).toStartWith("warn Dolt remote origin (file:///mnt/beads): unreachable: /mnt/beads does not exist;");
    expect(doctor({ remote: file, probe: { via: "file", ms: 0, path: "/mnt/beads", exists: true } })[0]).toBe("ok Dolt remote origin (file:///mnt/beads): reachable (the folder exists)");
    const hub = { configured: true as const, url: "https://doltremoteapi.dolthub.com/org/beads", name: "origin" };
    expect(doctor({ remote: hub, probe: { via: "none" } })[0]).toBe("ok Dolt remote origin (https://doltremoteapi.dolthub.com/org/beads): not probed (coord probes git and file:// remotes; coord sync tries this one)");
  });

  test("never pulled, a rejected push, a merge conflict and a standing split brain are warnings with their fix", () => {
    expect(doctor({ rec: null })[1]).toBe("warn never pulled on this machine; never pushed from this machine (recorded in sync.json); fix: coord sync");
    const rejected = { ...synced, remoteAhead: true, lastPush: { at: NOW - 30_000, kind: "rejected" as const, detail: "[rejected] main -> main (non-fast-forward)" } };
    expect(doctor({ rec: rejected })[1]).toBe(
      "warn last pull 3m ago brought nothing new; last push 30s ago failed (rejected: [rejected] main -> main (non-fast-forward)); the remote is ahead of this clone (recorded in sync.json); fix: coord sync",
    );
    const schema = bead("t-1", "bob", ["src/db/"]);
    const contest: Contest = { kind: "same-bead", id: "t-1", title: "Schema", files: ["src/db/"], here: "bob", there: "alice", otherId: null, otherFiles: [], how: "conflict", at: NOW - 60_000, updatedAt: schema.updatedAt };
    const conflict: SyncRecord = { ...synced, lastPull: { at: NOW - 60_000, kind: "conflict", detail: "Merge conflict detected", brought: false }, remoteAhead: true, contests: [contest], unmerged: [bead("t-1", "alice", ["src/db/"])] };
    const lines = doctor({ rec: conflict, claims: [schema] });
    expect(lines.slice(2)).toEqual([
      'warn SPLIT BRAIN: t-1 "Schema" is claimed by bob here and by alice on another machine (conflict) (found by coord sync 1m ago); fix: coord sync --settle t-1 --keep ours|theirs (ours gives it to bob, theirs to alice)',
      "warn the last pull 1m ago hit a merge conflict and merged nothing: the remote's claims on t-1 are not in this database; fix: coord sync (it names the beads on each side and the commands that settle them)",
    ]);
    // Settled since (the bead moved on): the split brain no longer stands.
    expect(doctor({ rec: { ...conflict, lastPull: synced.lastPull }, claims: [{ ...schema, updatedAt: "2026-12-01T11:59:30Z" }] }).slice(2)).toEqual(["ok the last sync found no split brain and no merge conflict"]);
  });
});

describe("how fresh the remote view is", () => {
  test("no remote: nothing to say", () => {
    expect(remoteLine({ configured: false }, null, NOW)).toBeNull();
  });

  test("never pulled, pulled, failed, behind", () => {
    expect(remoteLine(REMOTE, null, NOW)).toBe("remote: never pulled on this machine; claims made on other machines are not shown: coord sync");
    const ok = { ...emptyRecord(), lastPull: { at: NOW - 180_000, kind: "ok" as const, detail: "", brought: false }, lastGoodPull: NOW - 180_000 };
    expect(remoteLine(REMOTE, ok, NOW)).toBe("remote: pulled 3m ago (nothing new)");
    const down = { ...ok, lastPull: { at: NOW - 60_000, kind: "unreachable" as const, detail: "could not read from remote", brought: false } };
    expect(remoteLine(REMOTE, down, NOW)).toBe(
      "remote: the last pull 1m ago failed (unreachable: could not read from remote); claims made on other machines after the pull 3m ago are not shown",
    );
    const behind = { ...ok, remoteAhead: true, lastPush: { at: NOW - 30_000, kind: "rejected" as const, detail: "" } };
    expect(remoteLine(REMOTE, behind, NOW)).toBe("remote: pulled 3m ago (nothing new); the remote is ahead of this clone (push rejected 30s ago): coord sync");
  });
});

describe("settling a failed merge, by bd version", () => {
  test("1.3 merges with a side chosen; 1.0.5 overwrites the remote or re-clones from it", () => {
    expect(bdGeneration("bd version 1.3.0 (dev)")).toBe("1.3");
    expect(bdGeneration("bd version 1.0.5 (dev)")).toBe("1.0");
    expect(settleSteps("1.3", "theirs")).toEqual([{ bd: ["dolt", "pull", "--strategy", "theirs"] }]);
    expect(settleSteps("1.0", "theirs")).toEqual([{ moveAside: true }, { bd: ["bootstrap", "--yes"] }]);
    expect(settlePush("1.0", "ours")).toEqual(["dolt", "push", "--force"]);
    expect(settlePush("1.3", "ours")).toEqual(["dolt", "push"]);
  });
});

describe("which shell commands change beads", () => {
  test.each([
    ["bd update t-1 --claim", true],
    ["cd src && bd --actor me update t-1 --claim --json", true],
    ["bd close t-1 --reason done", true],
    ["bd ready --claim --json", true],
    ['bd create "x" --status in_progress --description "Files: a"', true],
    ["BD_ACTOR=x bd update t-1 --status open", true],
    ['bd create "x" --description "Files: a"', false],
    ["bd list --json", false],
    ["bd show t-1", false],
    ["bd ready", false],
    ["echo bd update", false],
  ])("%s → %p", (cmd, yes) => {
    expect(isBdWrite(cmd)).toBe(yes);
  });
});
