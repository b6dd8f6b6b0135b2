// The Multi-Session Coordination section: rendered from coord.toml, spliced between markers.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { HOSTS, SECTION_BEGIN, SECTION_END, filesExample, renderSection, sectionState, upsertSection } from "../../src/core/section";
import { hookNeighbours, mergeHooks, parseSettings } from "../../src/core/settings";
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

describe("a section coord did not write", () => {
  const hand = "# Service\n\nIntro.\n\n## Multi-Session Coordination\n\nWe use locks.txt.\n\n### Rules\n\n- ask first\n\n## Build\n\nmake\n";

  test("is found, and replaced in place inside coord's markers; the rest stays", () => {
    expect(sectionState(hand, section)).toBe("unmarked");
    const u = upsertSection(hand, section);
    expect(u.ok && u.adopted).toBe(1);
    expect(u.ok && u.text).toBe(`# Service\n\nIntro.\n\n${section}\n\n## Build\n\nmake\n`);
    const again = u.ok ? upsertSection(u.text, section) : u;
    expect(again.ok && again.changed).toBe(false);
  });

  test("is kept as it is with keep, and no second section is added", () => {
    const u = upsertSection(hand, section, { keep: true });
    expect(u.ok && u.text).toBe(hand);
  });

  test("beside coord's own section (an older init appended a second one): the duplicate goes", () => {
    const doubled = `${hand}\n${SECTION_BEGIN}\n## Multi-Session Coordination\nold\n${SECTION_END}\n`;
    const u = upsertSection(doubled, section);
    expect(u.ok).toBe(true);
    if (!u.ok) return;
    expect(u.text.split("## Multi-Session Coordination").length).toBe(2);
    expect(u.text).toContain(section);
    expect(u.text).toContain("## Build\n\nmake\n");
    expect(u.text).not.toContain("locks.txt");
  });

  test("at the end of the file, and a heading inside a code fence is not one", () => {
    const tail = "# X\n\n```md\n## Multi-Session Coordination\n```\n\n## Multi-Session Coordination\n\nmine\n";
    const u = upsertSection(tail, section);
    expect(u.ok && u.text).toBe(`# X\n\n\`\`\`md\n## Multi-Session Coordination\n\`\`\`\n\n${section}\n`);
  });

  test("bd's own block (BEGIN BEADS INTEGRATION) is another heading and stays untouched", () => {
    const bd = "<!-- BEGIN BEADS INTEGRATION v:1 -->\n## Beads Issue Tracker\n\nbd ready\n<!-- END BEADS INTEGRATION -->\n";
    const u = upsertSection(bd, section);
    expect(u.ok && u.text.startsWith(bd)).toBe(true);
    expect(u.ok && u.adopted).toBe(0);
  });
});

describe("the section fits the repository and the agent", () => {
  const go: Config = {
    zones: [
      { name: "entry", kind: "stable", paths: ["cmd/server/"], note: "" },
      { name: "http", kind: "owned", paths: ["internal/http/"], note: "" },
      { name: "storage", kind: "owned", paths: ["internal/storage/"], note: "" },
    ],
    settings: { ...DEFAULT_SETTINGS },
    worktreeEnv: {},
  };

  test("the Files: example names the repository's own folders, owned ones first", () => {
    expect(filesExample(go)).toBe("internal/http/, internal/storage/");
    expect(renderSection(go)).toContain('--description "Files: internal/http/, internal/storage/"');
    expect(renderSection(go)).not.toContain("src/api/");
  });

  test("AGENTS.md says which agent is guarded by hooks and which follows by convention", () => {
    const agents = renderSection(go, "AGENTS.md");
    expect(agents).toContain("| Agent | Enforced by | What that means |");
    for (const h of HOSTS) expect(agents).toContain(`| ${h.name} | ${h.enforced === "hooks" ? "coord's hooks" : "convention"} |`);
    const claude = renderSection(go, "CLAUDE.md");
    expect(claude).toContain("coord's hooks refuse a Write or Edit");
    expect(claude).not.toContain("| Agent |");
  });
});

describe("the files bd 1.3.0 writes (bd init, bd setup claude), as captured", () => {
  const fixture = (f: string) => readFileSync(join(import.meta.dir, "../fixtures/bd", f), "utf8");

  test.each(["claude-md-bd-1.3.0.md", "agents-md-bd-1.3.0.md"])("%s: coord's section goes after bd's text, which stays byte for byte", (f) => {
    const bd = fixture(f);
    expect(sectionState(bd, section)).toBe("missing");
    const u = upsertSection(bd, section);
    expect(u.ok && u.adopted).toBe(0);
    expect(u.ok && u.text.startsWith(bd)).toBe(true);
    expect(u.ok && u.text.split("<!-- BEGIN BEADS INTEGRATION").length).toBe(2);
  });

  test("bd's SessionStart hook (bd prime) is no PreToolUse neighbour of coord's", () => {
    const p = parseSettings(fixture("claude-settings-bd-1.3.0.json"));
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(JSON.stringify(p.doc)).toContain("bd prime --hook-json");
    expect(hookNeighbours([{ file: ".claude/settings.json", doc: p.doc }], "/x/coord hook", null)).toEqual([]);
    const merged = mergeHooks(p.doc, "/x/coord hook").doc;
    expect(JSON.stringify(merged.hooks)).toContain("bd prime --hook-json");
  });
});
