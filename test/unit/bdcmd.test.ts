// Which beads a bd command changes, and how: read from its argv with bd's own option table,
// checked against the --help of the real bd 1.0.5 and 1.3.0 (captured in test/fixtures/bd-help).
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type BdEffect, GUARDED_COMMANDS, bdEffect, knownValueOptions, readyListArgs } from "../../src/core/bdcmd";
import { analyze as simpleCommands } from "../../src/core/bash";

const HELP = join(import.meta.dir, "../fixtures/bd-help");

// pflag prints `  -a, --assignee string   text` for a value and `      --claim   text` for a switch.
function helpOptions(text: string): Map<string, boolean> {
  const out = new Map<string, boolean>();
  const section = text.split(/^Flags:$/m)[1]?.split(/^Global Flags:$/m)[0] ?? "";
  for (const line of section.split("\n")) {
    const m = /^\s+(?:(-\w), )?(--[\w-]+)( [\w.]+)?\s{2,}/.exec(`${line}  `);
    if (!m) continue;
    const takes = m[3] !== undefined;
    out.set(m[2] as string, takes);
    if (m[1]) out.set(m[1], takes);
  }
  return out;
}

describe("the option table agrees with the real bd's --help", () => {
  for (const version of ["1.0.5", "1.3.0"]) {
    for (const command of GUARDED_COMMANDS) {
      const file = join(HELP, version, `${command}.txt`);
      const text = existsSync(file) ? readFileSync(file, "utf8") : "";
      if (text.startsWith("Error: unknown command")) continue;
      test(`bd ${version} ${command}`, () => {
        const opts = helpOptions(text);
        expect(opts.size).toBeGreaterThan(0);
        const known = knownValueOptions(command);
        for (const [name, takes] of opts) expect({ name, takes }).toEqual({ name, takes: known.has(name) });
      });
    }
  }

  test("both versions' global options taking a value are known", () => {
    for (const version of ["1.0.5", "1.3.0"]) {
      const text = readFileSync(join(HELP, version, "update.txt"), "utf8");
      const global = helpOptions(text.replace(/^[\s\S]*?^Global Flags:$/m, "Flags:\n"));
      for (const [name, takes] of global) if (takes) expect({ version, name, known: knownValueOptions("update").has(name) }).toEqual({ version, name, known: true });
    }
  });
});

const eff = (line: string): BdEffect | null => {
  const c = simpleCommands(line).commands[0];
  return c ? bdEffect(c.argv, c.dyn) : null;
};

describe("what a bd command changes", () => {
  test.each<[string, Partial<BdEffect> | null]>([
    ["bd update p-1 --assignee me", { command: "update", ids: ["p-1"], changes: ["assignee"], assignee: "me" }],
    ["bd update p-1 -a me", { ids: ["p-1"], changes: ["assignee"], assignee: "me" }],
    ["bd update p-1 --assignee=me", { ids: ["p-1"], changes: ["assignee"], assignee: "me" }],
    ["bd update p-1 -ame", { ids: ["p-1"], changes: ["assignee"], assignee: "me" }],
    ["bd update p-1 --status open", { ids: ["p-1"], changes: ["status"], status: "open" }],
    ["bd update p-1 -s closed", { ids: ["p-1"], changes: ["close"], status: "closed" }],
    ["bd update p-1 p-2 --claim", { ids: ["p-1", "p-2"], changes: ["claim"] }],
    ["bd --actor bob update p-1 --claim --json", { ids: ["p-1"], changes: ["claim"], actor: "bob" }],
    ["bd update --claim p-1 --actor=bob", { ids: ["p-1"], changes: ["claim"], actor: "bob" }],
    ["bd -C /elsewhere update p-1 --assignee x", { ids: ["p-1"], changes: ["assignee"] }],
    ["bd --db /x/beads.db update p-1 -s open", { ids: ["p-1"], changes: ["status"] }],
    ["bd update p-1 --description 'Files: src/'", { ids: ["p-1"], changes: ["files"] }],
    ["bd update p-1 -d x", { ids: ["p-1"], changes: ["files"] }],
    ["bd update p-1 --body-file notes.md", { ids: ["p-1"], changes: ["files"] }],
    ["bd update p-1 --metadata '{\"files\":[\"a\"]}'", { ids: ["p-1"], changes: ["files"] }],
    ["bd update p-1 --set-metadata files=a.ts", { ids: ["p-1"], changes: ["files"] }],
    ["bd update p-1 --set-metadata team=x", null],
    ["bd update p-1 --title 'Better title' --priority 1", null],
    ["bd update p-1 --notes 'found the cause' --add-label bug", null],
    ["bd update p-1 --defer +1d", { ids: ["p-1"], changes: ["status"] }],
    ["bd close p-1", { command: "close", ids: ["p-1"], changes: ["close"] }],
    ["bd close p-1 p-2 --reason done -f", { ids: ["p-1", "p-2"], changes: ["close"] }],
    ["bd done p-1", { command: "close", ids: ["p-1"], changes: ["close"] }],
    ["bd reopen p-1 -r 'not done'", { command: "reopen", ids: ["p-1"], changes: ["reopen"] }],
    ["bd delete p-1 --force", { command: "delete", ids: ["p-1"], changes: ["delete"] }],
    ["bd delete p-1 --dry-run", null],
    ["bd delete --from-file ids.txt -f", { ids: [""], changes: ["delete"] }],
    ["bd assign p-1 mallory", { command: "assign", ids: ["p-1"], changes: ["assignee"], assignee: "mallory" }],
    ["bd unclaim p-1", { command: "unclaim", ids: ["p-1"], changes: ["release"] }],
    ["bd defer p-1 --until tomorrow", { ids: ["p-1"], changes: ["status"], status: "deferred" }],
    ["bd duplicate p-1 --of p-2", { ids: ["p-1"], changes: ["close"] }],
    ["bd supersede p-1 --with p-3", { ids: ["p-1"], changes: ["close"] }],
    ["bd rename p-1 p-9", { ids: ["p-1"], changes: ["rename"] }],
    ["bd edit p-1", { ids: ["p-1"], changes: ["files"] }],
    ["bd edit p-1 --title", null],
    ["bd reclaim --id p-1", { ids: ["p-1"], changes: ["release"] }],
    ["bd reclaim", { ids: [], changes: ["release"], unnamed: "bd reclaim releases every claim whose lease expired" }],
    ["bd sql \"UPDATE issues SET assignee='me' WHERE id='p-1'\"", { ids: [], unnamed: "bd sql can change any bead" }],
    ["bd sql 'select * from issues'", null],
    ["bd update $ID --assignee me", { ids: [""], changes: ["assignee"] }],
    ["bd list --status in_progress --json", null],
    ["bd show p-1", null],
    ["bd create 'x' --description 'Files: a'", null],
    ["bd create 'x' -d 'Files: src/api/, docs/' -s in_progress -a me", { command: "create", ids: [], changes: ["claim"], created: { title: "x", files: ["src/api/", "docs/"] } }],
    ["bd create --title x --status in_progress --metadata '{\"files\":[\"./lib/\"]}'", { created: { title: "x", files: ["lib/"] } }],
    ["bd create x -s in_progress --body-file d.md", { created: { title: "x", files: null } }],
    ["bd create x -s in_progress -d \"Files: $F\"", { created: { title: "x", files: null } }],
    ["bd ready", null],
    ["bd ready --claim --json", { command: "ready", ids: [""], changes: ["claim"] }],
    ["git commit -m 'bd close p-1'", null],
    ["/usr/local/bin/bd close p-1", { ids: ["p-1"], changes: ["close"] }],
  ])("%s", (line, want) => {
    const got = eff(line);
    if (want === null) expect(got).toBeNull();
    else expect(got).toMatchObject(want);
  });
});

describe("the simple commands of a command line", () => {
  test.each<[string, string[][]]>([
    ["bd close p-1", [["bd", "close", "p-1"]]],
    ["cd sub && bd close p-1; echo ok", [["cd", "sub"], ["bd", "close", "p-1"], ["echo", "ok"]]],
    ["BEADS_ACTOR=x bd update p-1 --claim", [["bd", "update", "p-1", "--claim"]]],
    ["env -i A=1 bd close p-1", [["bd", "close", "p-1"]]],
    ["sudo -u x bd close p-1", [["bd", "close", "p-1"]]],
    ["bash -c 'bd close p-1 && bd reopen p-2'", [["bd", "close", "p-1"], ["bd", "reopen", "p-2"]]],
    ["sh -ec \"bd close p-1\"", [["bd", "close", "p-1"]]],
    ["eval bd close p-1", [["bd", "close", "p-1"]]],
    ["echo $(bd close p-1)", [["echo", ""], ["bd", "close", "p-1"]]],
    ["echo `bd close p-1`", [["echo", ""], ["bd", "close", "p-1"]]],
    ["(bd close p-1) | cat", [["bd", "close", "p-1"], ["cat"]]],
    ["{ bd close p-1; }", [["bd", "close", "p-1"]]],
    ["if true; then bd close p-1; fi", [["true"], ["bd", "close", "p-1"]]],
    ["bd close p-1 > /dev/null 2>&1", [["bd", "close", "p-1"]]],
    ["bd close p-1 &>log", [["bd", "close", "p-1"]]],
    ["bd close \"p-\"1 'x y'", [["bd", "close", "p-1", "x y"]]],
    ["bd close p-1 # bd close p-2", [["bd", "close", "p-1"]]],
    ["cat <<EOF\nbd close p-2\nEOF\nbd close p-1", [["cat"], ["bd", "close", "p-1"]]],
    ["bd \\\n close p-1", [["bd", "close", "p-1"]]],
    ["echo p-1 | xargs bd close", [["echo", "p-1"], ["bd", "close", ""]]],
  ])("%s", (line, want) => {
    expect(simpleCommands(line).commands.map((c) => c.argv)).toEqual(want);
  });

  test("the leading assignments are kept as the command's environment", () => {
    expect(simpleCommands("BEADS_ACTOR=x BD_ACTOR=y bd update p-1 --claim").commands[0]?.env).toEqual({ BEADS_ACTOR: "x", BD_ACTOR: "y" });
  });

  test("words that depend on an expansion are marked", () => {
    expect(simpleCommands("bd close $ID p-2").commands[0]?.dyn).toEqual([false, false, true, false]);
  });

  test("an unclosed quote is reported, not guessed", () => {
    expect(simpleCommands("bd close 'p-1").unparsed).toContain("unterminated");
  });

  test("a huge command is refused to read in one step", () => {
    expect(simpleCommands(`echo ${"a".repeat(300_000)}`).unparsed).toContain("more than coord reads");
  });

  test("deeply nested substitutions stop at the bound", () => {
    const deep = `${"$(echo ".repeat(50)}x${")".repeat(50)}`;
    expect(simpleCommands(deep).unparsed).toBe("commands nested too deeply");
  });
});

describe("the beads a bd ready --claim line may claim are listed with its own filters", () => {
  test.each<[string, string[] | null]>([
    ["bd ready --claim", ["ready", "--json", "--limit", "0"]],
    ["bd ready --claim --json -n 1", ["ready", "--json", "--limit", "0"]],
    ["bd ready --limit=3 --claim --pretty=false --brief", ["ready", "--json", "--limit", "0"]],
    ["bd ready -n3 --claim -l cli --label-any a,b -t bug", ["ready", "-l", "cli", "--label-any", "a,b", "-t", "bug", "--json", "--limit", "0"]],
    ["bd --actor me ready --claim --include-deferred -s oldest -u", ["--actor", "me", "ready", "--include-deferred", "-s", "oldest", "-u", "--json", "--limit", "0"]],
    // A value that names an output option is still the filter's value.
    ["bd ready --claim -l --json", ["ready", "-l", "--json", "--json", "--limit", "0"]],
    ["bd ready --claim -l \"$L\"", null],
  ])("%s", (line, want) => {
    const c = simpleCommands(line).commands[0];
    expect(readyListArgs(c?.argv ?? [], c?.dyn)).toEqual(want);
  });
});
