// Free work at the grain sessions claim: folders inside a zone and outside every zone, and a ready
// list that differs between sessions that start together.
import { describe, expect, test } from "bun:test";
import { renderBanner } from "../../src/core/banner";
import type { Bead } from "../../src/core/claims";
import { freeWork, freeWorkLines, rotateFor } from "../../src/core/freework";
import type { Zone } from "../../src/core/zones";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const bead = (id: string, files: string[], status = "in_progress", assignee = "alice"): Bead => ({
  id,
  title: `t ${id}`,
  status,
  assignee: status === "open" ? "" : assignee,
  updatedAt: new Date(NOW).toISOString(),
  priority: 2,
  files,
  blockedBy: [],
});
const zones: Zone[] = [
  { name: "http", kind: "owned", paths: ["internal/http/"], note: "" },
  { name: "storage", kind: "owned", paths: ["internal/storage/"], note: "" },
  { name: "entry", kind: "stable", paths: ["cmd/server/"], note: "" },
];
const files = [
  "go.mod",
  "cmd/server/main.go",
  "internal/http/router.go",
  "internal/http/handlers/orders.go",
  "internal/http/middleware/auth.go",
  "internal/http/ws/hub.go",
  "internal/storage/db.go",
  "internal/metrics/metrics.go",
  "tools/gen/main.go",
];

describe("free work", () => {
  test("one claimed file leaves its zone partly free, and the free folders are named", () => {
    const w = freeWork(zones, [bead("t-1", ["internal/http/handlers/orders.go"])], files);
    const http = w.zones.find((z) => z.zone === "http");
    expect(http?.state).toBe("partly");
    expect(http?.free).toEqual(["internal/http/middleware/", "internal/http/ws/"]);
    expect(w.zones.find((z) => z.zone === "storage")?.state).toBe("free");
    expect(freeWorkLines(w)).toEqual(["free zones: storage, entry (stable)", "partly free: http (internal/http/middleware/ internal/http/ws/)", "outside zones: internal/metrics/ tools/"]);
  });

  test("a claim of the zone's folder takes it whole", () => {
    const w = freeWork(zones, [bead("t-1", ["internal/"])], files);
    expect(w.zones.map((z) => z.state)).toEqual(["claimed", "claimed", "free"]);
    expect(w.outside).toEqual(["tools/"]);
  });

  test("without a file list the zone is still partly free, naming what is claimed", () => {
    const w = freeWork(zones, [bead("t-1", ["internal/http/router.go"])]);
    expect(freeWorkLines(w)).toEqual(["free zones: storage, entry (stable)", "partly free: http (all but internal/http/router.go)"]);
  });

  test("the banner says so, instead of 'free zones: none'", () => {
    const claims = [bead("t-1", ["internal/http/router.go"]), bead("t-2", ["internal/storage/db.go"], "in_progress", "bob"), bead("t-3", ["cmd/"], "in_progress", "bob")];
    const banner = renderBanner({ me: "claude-aaaaaaaa", beads: claims, zones, now: NOW, staleClaimHours: 24, files });
    expect(banner).toContain("\nfree zones: none whole\npartly free: http (internal/http/handlers/ internal/http/middleware/ +1), storage (all but");
    expect(banner).toContain("\noutside zones: internal/metrics/ tools/\n");
    expect(banner).not.toContain("free zones: none\n");
  });
});

describe("ready work for sessions that start together", () => {
  const ready = Array.from({ length: 6 }, (_, i) => bead(`t-r${i}`, [`free/${i}/`], "open"));

  test("rotation keeps every item and only reorders the best ones", () => {
    const r = rotateFor(ready, "claude-12345678");
    expect([...r].sort((a, b) => a.id.localeCompare(b.id))).toEqual(ready);
  });

  test("three sessions' banners do not all offer the same bead first", () => {
    const firsts = ["claude-1a2b3c4d", "claude-9f8e7d6c", "claude-55aa55aa"].map((me) => {
      const b = renderBanner({ me, beads: ready, zones: [], now: NOW, staleClaimHours: 24 });
      return /ready, no overlap: (\S+)/.exec(b)?.[1];
    });
    expect(new Set(firsts).size).toBeGreaterThan(1);
    // The same session sees the same order every time.
    const again = /ready, no overlap: (\S+)/.exec(renderBanner({ me: "claude-1a2b3c4d", beads: ready, zones: [], now: NOW, staleClaimHours: 24 }))?.[1];
    expect(again).toBe(firsts[0]);
  });
});
