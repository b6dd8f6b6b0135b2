// coord init's edit of .claude/settings*.json: the user's keys and hooks survive, coord's own
// entries are found again, and a second run changes nothing.
import { describe, expect, test } from "bun:test";
import {
  type JsonObject,
  WANTED,
  allowsCommand,
  checkHooks,
  commandProgram,
  hookNeighbours,
  matcherTools,
  hookCommand,
  isCoordCommand,
  mergeHooks,
  mergePermissions,
  parseSettings,
  preToolHooks,
  renderSettings,
} from "../../src/core/settings";

const CMD = "/usr/local/bin/coord hook";

function merged(text: string, command = CMD): string {
  const p = parseSettings(text);
  if (!p.ok) throw new Error(p.error);
  return renderSettings(mergeHooks(p.doc, command).doc);
}

function groups(text: string, event: string): { matcher?: string; hooks: { command: string; timeout?: number }[] }[] {
  return (JSON.parse(text).hooks?.[event] ?? []) as { matcher?: string; hooks: { command: string; timeout?: number }[] }[];
}

const USER = `{
  "permissions": { "allow": ["Bash(npm test)"], "deny": [] },
  "model": "opus",
  "hooks": {
    "PreToolUse": [
      { "matcher": "Bash", "hooks": [{ "type": "command", "command": "./scripts/lint-guard.sh" }] }
    ],
    "Stop": [{ "hooks": [{ "type": "command", "command": "notify-send done" }] }]
  },
  "env": { "FOO": "1" }
}`;

describe("registering coord in a file the user already has", () => {
  const out = merged(USER);
  const doc = JSON.parse(out) as JsonObject;

  test("keeps every key of the user's, in their order", () => {
    expect(Object.keys(doc)).toEqual(["permissions", "model", "hooks", "env"]);
    expect(doc.permissions).toEqual({ allow: ["Bash(npm test)"], deny: [] });
    expect(doc.env).toEqual({ FOO: "1" });
  });

  test("keeps the user's own hooks where they were", () => {
    expect(groups(out, "PreToolUse")[0]).toEqual({ matcher: "Bash", hooks: [{ type: "command", command: "./scripts/lint-guard.sh" } as never] });
    expect(groups(out, "Stop")).toEqual([{ hooks: [{ type: "command", command: "notify-send done" } as never] }]);
  });

  test("adds coord for each event and matcher with a 10 s timeout", () => {
    for (const w of WANTED) {
      const g = groups(out, w.event).find((x) => (x.matcher ?? null) === w.matcher && x.hooks.some((h) => h.command === CMD));
      expect(g, `${w.event} ${w.matcher}`).toBeDefined();
      expect(g?.hooks.find((h) => h.command === CMD)?.timeout).toBe(10);
    }
    expect(groups(out, "SessionStart")[0]).not.toHaveProperty("matcher");
  });

  test("writes readable JSON: two-space indent and a final newline", () => {
    expect(out).toContain('\n  "permissions": {\n    "allow"');
    expect(out.endsWith("}\n")).toBe(true);
  });

  test("a second run changes nothing, byte for byte", () => {
    expect(merged(out)).toBe(out);
    const p = parseSettings(out);
    expect(p.ok && mergeHooks(p.doc, CMD).changed).toBe(false);
  });
});

describe("coord's earlier entries", () => {
  const old = merged("{}", "/old/place/coord hook");

  test("are updated in place when the binary moved, not duplicated", () => {
    const out = merged(old, CMD);
    expect(out).not.toContain("/old/place/coord");
    expect(groups(out, "PreToolUse")).toHaveLength(2);
    expect(groups(out, "SessionStart")).toHaveLength(1);
    expect(out.split(CMD).length - 1).toBe(WANTED.length);
  });

  test("under an old matcher are re-aimed, and duplicates of coord dropped", () => {
    const text = JSON.stringify({
      hooks: {
        PreToolUse: [
          { matcher: "Write|Edit", hooks: [{ type: "command", command: "'/opt/my tools/coord' hook" }] },
          { matcher: "Bash", hooks: [{ type: "command", command: "coord hook" }, { type: "command", command: "mine.sh" }] },
          { matcher: "Bash", hooks: [{ type: "command", command: "/x/coord hook", timeout: 5 }] },
        ],
      },
    });
    const out = merged(text);
    const g = groups(out, "PreToolUse");
    expect(g.map((x) => x.matcher)).toEqual(["Write|Edit|MultiEdit|NotebookEdit", "Bash"]);
    expect(g[1]?.hooks.map((h) => h.command)).toEqual([CMD, "mine.sh"]);
  });

  test("are recognised by the program's basename and the hook argument only", () => {
    expect(isCoordCommand("/home/a/.local/bin/coord hook", CMD)).toBe(true);
    expect(isCoordCommand(`"/path with space/coord" hook`, CMD)).toBe(true);
    expect(isCoordCommand("/usr/bin/coordinator hook", CMD)).toBe(false);
    expect(isCoordCommand("coord status", CMD)).toBe(false);
    expect(isCoordCommand("echo coord hook", CMD)).toBe(false);
  });
});

describe("a settings file coord cannot read", () => {
  test("is refused with the line and column of the mistake", () => {
    const text = '{\n  "model": "opus",\n  "hooks": {,\n}';
    const p = parseSettings(text);
    expect(p.ok).toBe(false);
    expect(!p.ok && p.error).toMatch(/^3:13: unexpected ","/);
  });

  test("a trailing comma is named", () => {
    const p = parseSettings('{"a": [1, 2,]}');
    expect(!p.ok && p.error).toMatch(/^1:13: trailing comma before ']'/);
    const q = parseSettings('{"a": 1,\n}');
    expect(!q.ok && q.error).toMatch(/^2:1: trailing comma before '}'/);
  });

  test.each([
    ['{"a" 1}', /^1:6: unexpected "1"; expected ':'/],
    ["{a: 1}", /^1:2: unexpected "a"; expected a key in double quotes/],
    ['[1 2]', /^1:4: unexpected "2"; expected ',' or '\]'/],
    ['{"a": tru}', /^1:7: unexpected "t"; expected a value/],
    ['{"a": "x\ny"}', /control character in a string/],
    ['{"a": 1} x', /^1:10: unexpected "x" after the end of the JSON value/],
    ['{"a": [', /^1:8: unexpected end of file; expected a value/],
  ])("%s is located", (text, want) => {
    const p = parseSettings(text);
    expect(!p.ok && p.error).toMatch(want);
  });

  test("hooks of the wrong shape are refused rather than replaced", () => {
    const p = parseSettings('{"hooks": {"PreToolUse": {"matcher": "Bash"}}}');
    expect(!p.ok && p.error).toContain("hooks.PreToolUse");
  });

  test("an empty file counts as no settings", () => {
    expect(parseSettings("  \n")).toEqual({ ok: true, doc: {} });
  });
});

describe("checking what is registered", () => {
  const doc = JSON.parse(merged("{}")) as JsonObject;

  test("a full registration with an existing binary has no problems", () => {
    const r = checkHooks([doc], () => true);
    expect(r.missing).toEqual([]);
    expect(r.brokenPrograms).toEqual([]);
    expect(r.programs).toEqual(["/usr/local/bin/coord"]);
  });

  test("a binary that is gone is named", () => {
    expect(checkHooks([doc], () => false).brokenPrograms).toEqual(["/usr/local/bin/coord"]);
  });

  test("a missing matcher group is named, and the files are read together", () => {
    const partial = JSON.parse(JSON.stringify(doc)) as { hooks: Record<string, unknown> };
    delete partial.hooks.SessionEnd;
    const r = checkHooks([partial as JsonObject], () => true);
    expect(r.missing).toEqual([{ event: "SessionEnd", matcher: null }]);
    const other = { hooks: { SessionEnd: [{ hooks: [{ type: "command", command: CMD }] }] } };
    expect(checkHooks([partial as JsonObject, other], () => true).missing).toEqual([]);
  });
});

describe("the hook command", () => {
  test("quotes a path with spaces for /bin/sh and reads it back", () => {
    const c = hookCommand(["/Users/a b/coord"]);
    expect(c).toBe("'/Users/a b/coord' hook");
    expect(commandProgram(c)).toBe("/Users/a b/coord");
    expect(hookCommand(["/usr/bin/coord"])).toBe("/usr/bin/coord hook");
  });
});

describe("the commands the coordination section asks sessions to run", () => {
  test("are allowed after the user's own rules, which stay as they were", () => {
    const p = parseSettings(USER);
    if (!p.ok) throw new Error(p.error);
    const { doc, added } = mergePermissions(p.doc);
    const perms = doc.permissions as { allow: string[]; deny: string[] };
    expect(perms.allow[0]).toBe("Bash(npm test)");
    expect(perms.allow).toContain("Bash(bd update:*)");
    expect(perms.allow).toContain("Bash(coord claim:*)");
    expect(perms.deny).toEqual([]);
    expect(added.length).toBe(perms.allow.length - 1);
  });

  test("are added once: a second merge adds nothing", () => {
    const once = mergePermissions({}).doc;
    const twice = mergePermissions(once);
    expect(twice.added).toEqual([]);
    expect(twice.doc).toBe(once);
  });
});

describe("the user's formatting", () => {
  const remerge = (text: string) => {
    const p = parseSettings(text);
    if (!p.ok) throw new Error(p.error);
    return renderSettings(mergePermissions(mergeHooks(p.doc, CMD).doc).doc, text);
  };

  test("4-space indentation stays 4 spaces, and the keys keep their order", () => {
    const four = '{\n    "model": "opus",\n    "hooks": {},\n    "env": {\n        "A": "1"\n    }\n}\n';
    const out = remerge(four);
    expect(out).toContain('\n    "model": "opus",\n    "hooks": {\n        "SessionStart": [');
    expect(out).not.toMatch(/\n  "/);
    expect(Object.keys(JSON.parse(out))).toEqual(["model", "hooks", "env", "permissions"]);
  });

  test("tabs stay tabs; a file without a final newline gets none", () => {
    const tabs = '{\n\t"env": {\n\t\t"A": "1"\n\t}\n}';
    const out = remerge(tabs);
    expect(out).toContain('\n\t"env": {\n\t\t"A": "1"\n\t},\n\t"hooks"');
    expect(out.endsWith("}")).toBe(true);
  });
});

describe("hooks beside coord's", () => {
  const doc = (pre: unknown[]): JsonObject => ({ hooks: { PreToolUse: pre } }) as JsonObject;
  const entry = (matcher: string | undefined, command: string) => ({ ...(matcher === undefined ? {} : { matcher }), hooks: [{ type: "command", command }] });

  test("a matcher selects the guarded tools it names, as a regular expression; empty or * selects all", () => {
    expect(matcherTools("Write|Edit")).toEqual(["Write", "Edit"]);
    expect(matcherTools("Edit.*")).toEqual(["Edit"]);
    expect(matcherTools(".*Edit")).toEqual(["Edit", "MultiEdit", "NotebookEdit"]);
    expect(matcherTools(null)).toEqual(["Write", "Edit", "MultiEdit", "NotebookEdit", "Bash"]);
    expect(matcherTools("*")).toHaveLength(5);
    expect(matcherTools("Read|Grep")).toEqual([]);
  });

  test("another conflict-check script on the same tools is named with where it is and what to do", () => {
    const files = [{ file: ".claude/settings.json", doc: doc([entry("Edit|Write", "./scripts/check-conflicts.sh"), entry("Read", "./log-reads.sh"), entry("Bash", CMD)]) }];
    const lines = hookNeighbours(files, CMD, null);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(".claude/settings.json hooks.PreToolUse[0].hooks[0] runs `./scripts/check-conflicts.sh` before Write, Edit");
    expect(lines[0]).toContain("remove it from .claude/settings.json");
  });

  test("coord in two settings files, and the plugin beside the settings, are double registrations", () => {
    const local = { file: ".claude/settings.local.json", doc: doc([entry("Write|Edit|MultiEdit|NotebookEdit", CMD)]) };
    const shared = { file: ".claude/settings.json", doc: doc([entry("Write|Edit|MultiEdit|NotebookEdit", "/opt/old/coord hook")]) };
    expect(preToolHooks([local, shared], CMD).map((h) => h.coord)).toEqual([true, true]);
    const twice = hookNeighbours([local, shared], CMD, null);
    expect(twice.join("\n")).toContain("coord is registered in .claude/settings.local.json and .claude/settings.json: every hook runs twice");
    const plugin = hookNeighbours([local], CMD, "~/.claude/settings.json");
    expect(plugin.join("\n")).toContain("the coord plugin is enabled (~/.claude/settings.json)");
    expect(hookNeighbours([local], CMD, null)).toEqual([]);
  });
});

describe("allow rules", () => {
  test("Bash(prefix:*) allows the prefix and what follows a blank; Bash(x) only x", () => {
    expect(allowsCommand("Bash(bd close:*)", "bd close t-1")).toBe(true);
    expect(allowsCommand("Bash(bd close:*)", "bd closer")).toBe(false);
    expect(allowsCommand("Bash(bd ready)", "bd ready")).toBe(true);
    expect(allowsCommand("Bash(bd ready)", "bd ready --json")).toBe(false);
    expect(allowsCommand("Read(*)", "bd ready")).toBe(false);
  });
});
