// The SessionStart banner must stay small whatever the number of claims: it is read by every session.
import { expect, test } from "bun:test";
import { BANNER_MAX_LINES, BANNER_WIDTH, type BannerInput, renderBanner } from "../../src/core/banner";
import type { Bead } from "../../src/core/claims";
import type { Zone } from "../../src/core/zones";

const NOW = Date.parse("2026-11-25T12:00:00Z");

const beads: Bead[] = Array.from({ length: 50 }, (_, i) => ({
  id: `proj-${String(i).padStart(3, "0")}`,
  title: `A fairly long title for bead number ${i} that goes on and on about what it changes`,
  status: "in_progress",
  assignee: `claude-${String(i % 7).repeat(8)}`,
  updatedAt: new Date(NOW - (i % 3) * 20 * 3600_000).toISOString(),
  priority: 2,
  files: [`src/module-${i}/`, `test/module-${i}/deeply/nested/path/file.test.ts`, "docs/architecture/overview.md"],
  blockedBy: [],
}));
const ready: Bead[] = Array.from({ length: 10 }, (_, i) => ({ ...(beads[0] as Bead), id: `proj-r${i}`, status: "open", assignee: "", files: [`free/${i}/`] }));
const zones: Zone[] = Array.from({ length: 30 }, (_, i) => ({ name: `zone-with-a-long-name-${i}`, kind: i % 3 === 0 ? "shared" : "owned", paths: [`lib/z${i}/`], note: "" }));
const base: BannerInput = { me: "claude-00000000", beads: [...beads, ...ready], zones, now: NOW, staleClaimHours: 24 };
const crowded: BannerInput = { ...base, note: "bd list ran out of time; using claims from 12s ago", dbDir: "/tmp/some/worktree/.coord/db" };

function checkSize(banner: string): void {
  const lines = banner.split("\n");
  expect(lines.length).toBeLessThanOrEqual(BANNER_MAX_LINES);
  for (const l of lines) expect(l.length).toBeLessThanOrEqual(BANNER_WIDTH);
}

test("50 in-progress beads fit in 10 lines of at most 100 columns, summarised", () => {
  expect(BANNER_MAX_LINES).toBe(10);
  expect(BANNER_WIDTH).toBe(100);
  const banner = renderBanner(base);
  checkSize(banner);
  expect(banner).toContain("in progress (50)");
  expect(banner).toMatch(/… \d+ more by \d+ owner\(s\): coord status/);
  expect(banner).toContain("bd update <id> --claim");
});

test("with a note and a worktree database line too, it still fits", () => {
  checkSize(renderBanner(crowded));
});

test("with every optional line present, the claim command is still shown", () => {
  expect(renderBanner(crowded)).toContain("bd update <id> --claim");
});

test("for a host that cannot export the identity (Codex, Gemini CLI, OpenCode), the claim carries --actor in full and still fits", () => {
  const b = renderBanner({ ...crowded, me: "opencode-oMP7wdKT", actorFlag: true });
  checkSize(b);
  expect(b).toContain("bd update <id> --claim --actor opencode-oMP7wdKT");
  expect(b).toContain('--description "Files: <paths>" --actor opencode-oMP7wdKT');
  for (const l of b.split("\n").filter((x) => x.includes("--actor"))) expect(l).not.toContain("…");
});

test("every optional line at once still fits in 10, keeping the flagged claims and how to claim", () => {
  const claims: Bead[] = [
    ...beads.slice(0, 20),
    { ...(beads[0] as Bead), id: "proj-all", files: ["*"] },
    { ...(beads[0] as Bead), id: "proj-out", files: ["../../etc"] },
  ];
  const zonesWithFiles: Zone[] = [{ name: "lib", kind: "owned", paths: ["lib/"], note: "" }, { name: "app", kind: "shared", paths: ["app/"], note: "" }];
  const files = ["lib/a/x.ts", "lib/b/y.ts", "app/z.ts", "tools/t.sh", "docs/d.md", "scripts/s.sh"];
  const banner = renderBanner({ ...crowded, beads: [...claims, ...ready], zones: zonesWithFiles, files, env: [["PORT", "3001"]] });
  checkSize(banner);
  expect(banner).toContain("flagged claims (2)");
  expect(banner).toContain("claim first: bd update <id> --claim");
  expect(banner).toMatch(/in progress \(22\)/);
});

test("claim lines keep their indentation after cleaning", () => {
  expect(renderBanner(base).split("\n").filter((l) => l.startsWith("  proj-")).length).toBeGreaterThan(0);
});
