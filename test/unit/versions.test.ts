// The version tables: which bd coord supports and how each behaves, bd's raw errors in words, and
// what coord init registers for each Claude Code.
import { describe, expect, test } from "bun:test";
import { explainBdError } from "../../src/core/bderrors";
import { bdSupport, migratesFrom, newestUser, parseBdVersion } from "../../src/core/bdversions";
import { entryExtras, wantedFor } from "../../src/core/claude-versions";

describe("bd versions", () => {
  test.each([
    ["bd version 1.3.0 (dev)", "1.3.0", "tested"],
    ["bd version 1.0.5 (dev)", "1.0.5", "tested"],
    ["bd version 1.2.1", "1.2.1", "in-range"],
    ["bd version 0.9.9", "0.9.9", "too-old"],
    ["bd version 1.4.0", "1.4.0", "too-new"],
  ])("%s", (out, version, support) => {
    expect(parseBdVersion(out)).toBe(version);
    expect(bdSupport(version)).toBe(support as "tested");
  });

  test("1.3.0 migrates what 1.0.5 last used; a patch release or an older bd does not", () => {
    expect(migratesFrom("1.3.0", "1.0.5")).toBe(true);
    expect(migratesFrom("1.3.1", "1.3.0")).toBe(false);
    expect(migratesFrom("1.0.5", "1.3.0")).toBe(false);
  });

  test("the newest bd that opened a database: .local_version, unless a newer bd's lock file says more", () => {
    // Measured: after bd 1.3.0 migrated, a read by bd 1.0.5 writes 1.0.5 into .local_version.
    expect(newestUser("1.0.5", (f) => f === "embeddeddolt.gate.lock")).toBe("1.3.0");
    expect(newestUser("1.0.5", () => false)).toBe("1.0.5");
    expect(newestUser(null, () => false)).toBeNull();
  });
});

describe("bd's errors in words", () => {
  test("Error 1105 after a migration names both versions and the way out", () => {
    const e = explainBdError("Error claiming t-1: failed to record event: record event in events: Error 1105: Field 'id' doesn't have a default value", { runner: "1.0.5", lastUsed: "1.3.0" });
    expect(e?.why).toBe("the beads database was migrated by a newer bd (1.3.0) than the one coord runs (bd 1.0.5), which can still read it but no longer write to it");
    expect(e?.next.join(" ")).toContain("COORD_BD");
  });
  test("an error the table does not know is left to bd's own words", () => {
    expect(explainBdError("issue already claimed by alice", { runner: "1.3.0", lastUsed: "1.3.0" })).toBeNull();
  });
});

describe("what coord init registers for a Claude Code version", () => {
  const events = (v: string | null) => wantedFor(v).map((w) => w.event);
  test("PreSkillShellCommand from 2.1.332 on; not for older or unknown versions (they show a startup dialog)", () => {
    expect(events("2.1.332")).toContain("PreSkillShellCommand");
    expect(events("2.1.331")).not.toContain("PreSkillShellCommand");
    expect(events(null)).not.toContain("PreSkillShellCommand");
  });
  test("onFailure: block only under COORD_FAIL_CLOSED, and only where Claude Code reads it", () => {
    expect(entryExtras("2.1.332", true)).toEqual({ onFailure: "block" });
    expect(entryExtras("2.1.332", false)).toEqual({});
    expect(entryExtras("2.1.197", true)).toEqual({});
  });
});
