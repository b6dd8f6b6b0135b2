// Zero lost changes: each scenario has session B try to destroy or sweep up session A's (and C's)
// uncommitted work while they are still at work, with coord's hooks registered. Nothing of theirs
// may be lost, checked by content hashes; B's destructive call is refused with coord's card.
import { afterAll, describe, expect, test } from "bun:test";
import { cleanupAll } from "../support/world";
import { announceSkip, describeRun, haveClaude } from "./support";
import { SCENARIOS, play } from "./zero-lost.scenarios";

announceSkip("zero-lost.e2e.test.ts");
afterAll(cleanupAll);

describe.skipIf(!haveClaude)("zero lost changes with coord", () => {
  for (const s of SCENARIOS) {
    test(
      s.name,
      async () => {
        const o = await play(s, true);
        expect(o.runs.b.code, describeRun(o.runs.b)).toBe(0);
        expect(o.runs.a.code, describeRun(o.runs.a)).toBe(0);
        expect(o.lost).toBe(0);
        expect(o.refused.length).toBeGreaterThan(0);
      },
      150_000,
    );
  }
});
