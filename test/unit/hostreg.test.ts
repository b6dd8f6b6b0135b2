// Registering coord with Codex, Gemini CLI and OpenCode, and the trust each host needs before it
// runs the registration at all: hashes checked against what `codex app-server` (hooks/list)
// reported for the same hooks.json (test/fixtures/codex/, codex 0.171.0).
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import {
  codexTrustEntries,
  codexTrustState,
  geminiTrusted,
  renderHostSettings,
  setTomlValue,
  trustCodex,
  trustGemini,
} from "../../src/core/hostreg";
import { renderOpencodePlugin } from "../../src/edges/opencode-plugin";

const sha256 = (t: string) => createHash("sha256").update(t).digest("hex");
const fx = (name: string) => readFileSync(join(import.meta.dir, "../fixtures/codex", name), "utf8");
type Listed = { key: string; command: string; currentHash: string; sourcePath: string };
const listed = (name: string) => (JSON.parse(fx(name)) as { result: { data: { hooks: Listed[] }[] } }).result.data[0]?.hooks ?? [];

describe("Codex's hook trust hash", () => {
  test("is the one codex app-server reports, for every event, with and without a matcher or a timeout", () => {
    const hooks = listed("app-server-hooks-list.json");
    expect(hooks.length).toBe(5);
    for (const h of hooks) {
      const mine = codexTrustEntries(h.sourcePath, fx("hooks-list-input.hooks.json"), h.command, sha256);
      expect(mine).toContainEqual(expect.objectContaining({ key: h.key, hash: h.currentHash }));
    }
  });

  test("of the hooks.json coord init writes matches too, SessionEnd's 3-second cap included", () => {
    const hooks = listed("app-server-hooks-list-coord.json");
    expect(hooks.length).toBe(4);
    const command = hooks[0]?.command ?? "";
    const mine = codexTrustEntries(hooks[0]?.sourcePath ?? "", fx("hooks-list-coord.hooks.json"), command, sha256);
    expect(mine.map((e) => [e.key, e.hash]).sort()).toEqual(hooks.map((h) => [h.key, h.currentHash]).sort());
  });
});

describe("the user's Codex config", () => {
  const entries = [{ key: "/r/.codex/hooks.json:pre_tool_use:0:0", hash: "sha256:ab", event: "PreToolUse" }];

  test("gets the project trusted and the hash recorded, the rest kept, and a second run changes nothing", () => {
    const before = 'model = "gpt-5.5"\n\n[projects."/other"]\ntrust_level = "trusted"\n';
    const once = trustCodex(before, "/r", entries);
    expect(once).toStartWith(before.trimEnd());
    const cfg = Bun.TOML.parse(once) as Record<string, unknown>;
    expect(codexTrustState(cfg, "/r", entries)).toEqual({ projectTrusted: true, untrusted: [] });
    expect(trustCodex(once, "/r", entries)).toBe(once);
  });

  test("with a stale hash is reported untrusted, and --trust replaces that hash in place", () => {
    const stale = trustCodex("", "/r", [{ ...entries[0]!, hash: "sha256:old" }]);
    expect(codexTrustState(Bun.TOML.parse(stale) as Record<string, unknown>, "/r", entries).untrusted.length).toBe(1);
    const fixed = trustCodex(stale, "/r", entries);
    expect(fixed.match(/trusted_hash/g)?.length).toBe(1);
    expect(codexTrustState(Bun.TOML.parse(fixed) as Record<string, unknown>, "/r", entries).untrusted).toEqual([]);
  });

  test("TOML values are set inside their own table only", () => {
    const t = setTomlValue("[a]\nx = 1\n\n[b]\nx = 2\n", "b", "x", "3");
    expect(t).toBe("[a]\nx = 1\n\n[b]\nx = 3\n");
  });
});

describe("Gemini CLI's settings and trust", () => {
  test("coord's hooks are merged into the settings, the person's keys and hooks kept, timeout in ms, named", () => {
    const before = JSON.stringify({ theme: "dark", hooks: { BeforeTool: [{ matcher: "x", hooks: [{ type: "command", command: "mine" }] }] } });
    const r = renderHostSettings("gemini", before, "/bin/coord hook --host gemini");
    if (!r.ok) throw new Error(r.error);
    const doc = JSON.parse(r.text);
    expect(doc.theme).toBe("dark");
    expect(doc.hooks.BeforeTool[0].hooks[0].command).toBe("mine");
    expect(doc.hooks.BeforeTool[1]).toEqual({ matcher: "write_file|replace|run_shell_command", hooks: [{ type: "command", name: "coord", command: "/bin/coord hook --host gemini", timeout: 10000 }] });
    expect(renderHostSettings("gemini", r.text, "/bin/coord hook --host gemini")).toEqual({ ok: true, text: r.text, changes: [] });
  });

  test("a moved coord binary updates coord's entries instead of adding more", () => {
    const first = renderHostSettings("codex", null, "/old/coord hook --host codex");
    if (!first.ok) throw new Error(first.error);
    const moved = renderHostSettings("codex", first.text, "/new/coord hook --host codex");
    if (!moved.ok) throw new Error(moved.error);
    expect(moved.text).not.toContain("/old/coord");
    expect(moved.text.match(/\/new\/coord/g)?.length).toBe(4);
  });

  test("settings that are not JSON are left alone with the place of the error", () => {
    expect(renderHostSettings("gemini", "{ nope", "c").ok).toBe(false);
  });

  test("a folder is trusted by its own entry or a trusted folder above it, not by a sibling", () => {
    expect(geminiTrusted({ "/w/repo": "TRUST_FOLDER" }, "/w/repo")).toBe(true);
    expect(geminiTrusted({ "/w": "TRUST_FOLDER" }, "/w/repo")).toBe(true);
    expect(geminiTrusted({ "/w/rep": "TRUST_FOLDER" }, "/w/repo")).toBe(false);
    expect(geminiTrusted({ "/w/repo": "DO_NOT_TRUST" }, "/w/repo")).toBe(false);
    expect(geminiTrusted({ "/w/repo/x": "TRUST_PARENT" }, "/w/repo")).toBe(true);
  });

  test("--trust adds the folder and keeps the others", () => {
    const r = trustGemini('{"/a":"TRUST_FOLDER"}', "/w/repo");
    if (!r.ok) throw new Error(r.error);
    expect(JSON.parse(r.text)).toEqual({ "/a": "TRUST_FOLDER", "/w/repo": "TRUST_FOLDER" });
  });
});

describe("the OpenCode plugin", () => {
  const text = renderOpencodePlugin(["/opt/coord"]);

  test("imports nothing, so loading it never depends on a package install", () => {
    expect(text).not.toMatch(/^\s*import\s/m);
    expect(text).not.toContain("require(");
  });

  test("is valid code that Bun transpiles (OpenCode drops a plugin that fails to load)", () => {
    const js = new Bun.Transpiler({ loader: "ts" }).transformSync(text);
    expect(js).toContain("CoordGuard");
  });

  test("runs coord hook --host opencode and refuses writes when coord cannot be run", () => {
    expect(text).toContain('const COORD = ["/opt/coord"]');
    expect(text).toContain('"hook", "--host", "opencode"');
    expect(text).toMatch(/if \(WRITES\.has\(input\.tool\)\) throw new Error/);
  });
});
