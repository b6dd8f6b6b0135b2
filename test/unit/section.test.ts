// The Multi-Session Coordination section: rendered from coord.toml, spliced between markers.
import { describe, expect, test } from "bun:test";
import { SECTION_BEGIN, SECTION_END, renderSection, sectionState, upsertSection } from "../../src/core/section";
import { type Config, DEFAULT_SETTINGS } from "../../src/core/zones";

const cfg: Config = {
  zones: [
    { name: "api", kind: "owned", paths: ["src/api/"], note: "" },
    { name: "types", kind: "shared", paths: ["src/types/**", "src/shared.ts"], note: "everyone imports these | careful" },
    { name: "entry", kind: "stable", paths: ["src/main.ts"], note: "" },
  ],
  settings: { ...DEFAULT_SETTINGS },
  worktreeEnv: {},
};
const section = renderSection(cfg);

describe("the rendered section", () => {
  test("sits between the markers under the heading", () => {
    expect(section.startsWith(`${SECTION_BEGIN}\n## Multi-Session Coordination\n`)).toBe(true);
    expect(section.endsWith(SECTION_END)).toBe(true);
  });

  test("has the zones table with name, kind, paths and note (pipes escaped)", () => {
    expect(section).toContain("| Zone | Kind | Paths | Note |");
    expect(section).toContain("| api | owned | `src/api/` |  |");
    expect(section).toContain("| types | shared | `src/types/**`, `src/shared.ts` | everyone imports these \\| careful |");
    expect(section).toContain("| entry | stable | `src/main.ts` |  |");
  });

  test("teaches Files:, claiming, refusals and worktrees", () => {
    expect(section).toContain('bd create "<title>" -t task --description "Files: src/api/, src/shared.ts"');
    expect(section).toContain("bd update <id> --claim");
    expect(section).toContain("coord claim <id>");
    expect(section).toContain("What the guard refuses, and why");
    expect(section).toContain("When an edit is refused");
    for (const c of ["coord wt new <name>", "coord wt done <name>", "coord wt list"]) expect(section).toContain(c);
  });

  test("changes when a zone changes", () => {
    const edited = renderSection({ ...cfg, zones: cfg.zones.map((z) => (z.name === "api" ? { ...z, kind: "shared" as const } : z)) });
    expect(edited).not.toBe(section);
  });

  test("says so when there are no zones", () => {
    expect(renderSection({ zones: [], settings: { ...DEFAULT_SETTINGS }, worktreeEnv: {} })).toContain("No zones are configured");
  });
});

describe("putting the section into a file", () => {
  test("creates the file's text when there is none", () => {
    expect(upsertSection(null, section)).toEqual({ ok: true, text: `${section}\n`, changed: true, adopted: 0 });
  });

  test("appends after the user's text, which stays as it was", () => {
    const mine = "# Project\n\nOur rules.\n";
    const u = upsertSection(mine, section);
    expect(u.ok && u.text).toBe(`${mine}\n${section}\n`);
  });

  test("replaces only what is between the markers", () => {
    const before = "# Top\nkeep me\n";
    const after = "\n## After\nkeep me too, exactly   \n";
    const old = `${before}${SECTION_BEGIN}\nold content\n${SECTION_END}${after}`;
    const u = upsertSection(old, section);
    expect(u.ok && u.text).toBe(`${before}${section}${after}`);
    expect(u.ok && u.changed).toBe(true);
  });

  test("a second run changes nothing", () => {
    const once = upsertSection("# Mine\n", section);
    const twice = once.ok ? upsertSection(once.text, section) : once;
    expect(twice.ok && twice.changed).toBe(false);
    expect(twice.ok && once.ok && twice.text === once.text).toBe(true);
  });

  test("broken markers are refused rather than guessed at", () => {
    expect(upsertSection(`a\n${SECTION_BEGIN}\nb\n`, section).ok).toBe(false);
    expect(upsertSection(`${SECTION_END}\n${SECTION_BEGIN}\n`, section).ok).toBe(false);
    expect(upsertSection(`${section}\n${section}\n`, section).ok).toBe(false);
  });
});

describe("the section's state", () => {
  test("missing, current, stale, broken", () => {
    expect(sectionState(null, section)).toBe("missing");
    expect(sectionState("# nothing here\n", section)).toBe("missing");
    expect(sectionState(`x\n${section}\ny\n`, section)).toBe("current");
    expect(sectionState(`x\n${SECTION_BEGIN}\nold\n${SECTION_END}\n`, section)).toBe("stale");
    expect(sectionState(`${SECTION_BEGIN}\n`, section)).toBe("broken");
  });
});
