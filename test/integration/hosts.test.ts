// Codex, Gemini CLI and OpenCode events, as captured from the real CLIs (test/fixtures/<host>/),
// through the compiled binary: each answered in its host's own format, with the same card.
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sessionIdentity } from "../../src/core/identity";
import { renderOpencodePlugin } from "../../src/edges/opencode-plugin";
import { COORD, ME_A, SID_A, cleanEnv, cleanupAll, sh, tempRepo, type Repo } from "../support/world";

afterAll(cleanupAll);

const T = 30_000;
const CODEX_SID = "01a233b5-5037-7722-b556-b8d143d5a275";
const CODEX_ME = "codex-43d5a275";

function fixture(host: string, name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(import.meta.dir, "../fixtures", host, name), "utf8")) as Record<string, unknown>;
}

/** Runs `coord hook [--host host]` with `event` in the repository. */
function hook(repo: Repo, host: string | null, event: Record<string, unknown> | string, env: Record<string, string> = {}) {
  const r = sh([COORD, "hook", ...(host ? ["--host", host] : [])], repo.dir, cleanEnv(repo.home, { ...repo.env, ...env }), typeof event === "string" ? event : JSON.stringify(event));
  let json: Record<string, unknown> | null = null;
  try {
    json = r.stdout.trim() ? (JSON.parse(r.stdout) as Record<string, unknown>) : null;
  } catch {
    json = null;
  }
  return { ...r, json };
}

const codexPatch = (repo: Repo, extra: Record<string, unknown> = {}) => ({ ...fixture("codex", "pretooluse-apply-patch-multi.json"), cwd: repo.dir, session_id: CODEX_SID, ...extra });

describe("a Codex apply_patch", () => {
  test(
    "touching two claimed files is refused with a card for each, in Codex's PreToolUse format",
    () => {
      const repo = tempRepo();
      const id = repo.bead("Cleanup", "Files: gone.txt, moved/");
      repo.claim(id, ME_A);
      const r = hook(repo, "codex", codexPatch(repo));
      expect(r.code).toBe(0);
      const out = r.json?.hookSpecificOutput as { permissionDecision: string; permissionDecisionReason: string };
      expect(out.permissionDecision).toBe("deny");
      expect(out.permissionDecisionReason).toContain("coord: refused apply_patch of moved/renamed.txt");
      expect(out.permissionDecisionReason).toContain("coord: refused apply_patch of gone.txt");
      expect(out.permissionDecisionReason).not.toContain("keep.txt");
      expect(out.permissionDecisionReason).toContain(`whose: ${ME_A} (you are ${CODEX_ME})`);
    },
    T,
  );

  test(
    "that coord cannot read is refused, not waved through",
    () => {
      const repo = tempRepo();
      const r = hook(repo, "codex", codexPatch(repo, { tool_input: { command: "*** Begin Patch\n@@ nothing\n" } }));
      const out = r.json?.hookSpecificOutput as { permissionDecision: string; permissionDecisionReason: string };
      expect(out.permissionDecision).toBe("deny");
      expect(out.permissionDecisionReason).toContain("cannot tell which files this patch touches");
    },
    T,
  );

  test(
    "that Codex applied is journaled as the Codex session's edit, which a Claude Code session is then refused",
    () => {
      const repo = tempRepo({ beads: true });
      repo.write("keep.txt", "one\nTWO\n");
      const post = { ...fixture("codex", "posttooluse-apply-patch-multi.json"), cwd: repo.dir, session_id: CODEX_SID };
      expect(hook(repo, "codex", post).code).toBe(0);
      const w = repo.write_(SID_A, "keep.txt");
      expect(w.decision).toBe("deny");
      expect(w.reason).toContain(CODEX_ME);
    },
    T,
  );

  test(
    "session start gives the banner with the Codex identity and the --actor it must claim with",
    () => {
      const repo = tempRepo();
      const r = hook(repo, "codex", { session_id: CODEX_SID, cwd: repo.dir, hook_event_name: "SessionStart", source: "startup", model: "gpt-5.5", permission_mode: "default" });
      const ctx = (r.json?.hookSpecificOutput as { additionalContext: string }).additionalContext;
      expect(ctx).toContain(`coord: you are ${CODEX_ME}`);
      expect(ctx).toContain(`--claim --actor ${CODEX_ME}`);
    },
    T,
  );
});

describe("a Codex shell command (exec_command, which its hooks see as Bash)", () => {
  test(
    "writing a claimed file is refused by the same shell parser as Claude Code's",
    () => {
      const repo = tempRepo();
      repo.claim(repo.bead("Shell output", "Files: shell.txt"), ME_A);
      const r = hook(repo, "codex", { ...fixture("codex", "pretooluse-bash.json"), cwd: repo.dir });
      const out = r.json?.hookSpecificOutput as { permissionDecision: string; permissionDecisionReason: string };
      expect(out.permissionDecision).toBe("deny");
      expect(out.permissionDecisionReason).toContain("shell.txt");
      expect(out.permissionDecisionReason).toContain(ME_A);
    },
    T,
  );
});

describe("coord doctor on a repository registered for Codex and Gemini CLI", () => {
  test(
    "fails each host that would skip coord without a word, and passes once --trust wrote the trust",
    () => {
      const repo = tempRepo();
      const env = { CODEX_HOME: join(repo.home, ".codex"), GEMINI_CLI_HOME: repo.home };
      expect(repo.coord(["init", "--host", "codex", "--host", "gemini", "--host", "opencode"], env).code).toBe(0);
      const before = repo.coord(["doctor"], env).stdout;
      expect(before).toContain("FAIL Codex: this project is not trusted");
      expect(before).toContain("FAIL Codex: 4 of coord's 4 hooks are not trusted");
      expect(before).toContain("FAIL Gemini CLI:");
      expect(before).toContain("ok   OpenCode: plugin current");
      const init = repo.coord(["init", "--host", "codex", "--host", "gemini", "--trust"], env);
      expect(init.stdout + init.stderr).toContain(`wrote into ${env.CODEX_HOME}/config.toml`);
      const after = repo.coord(["doctor"], env).stdout;
      expect(after).toContain("ok   Codex: 4 hooks registered and trusted");
      expect(after).toContain("ok   Gemini CLI: hooks registered, folder trusted");
      // A changed plugin might not load: OpenCode would drop it silently.
      repo.write(".opencode/plugin/coord.ts", "export const X = ;\n");
      expect(repo.coord(["doctor"], env).stdout).toContain("FAIL OpenCode: .opencode/plugin/coord.ts is not the one this coord writes");
    },
    T,
  );
});

describe("a Gemini CLI write_file", () => {
  test(
    "of a claimed file, named relative to its cwd, is refused with Gemini's {decision: deny}",
    () => {
      const repo = tempRepo();
      repo.claim(repo.bead("Greeting", "Files: hello.txt"), ME_A);
      const r = hook(repo, "gemini", { ...fixture("gemini", "beforetool-write_file.json"), cwd: repo.dir });
      expect(r.json?.decision).toBe("deny");
      expect(String(r.json?.reason)).toStartWith("coord: refused write_file of hello.txt");
      expect(String(r.json?.reason)).toContain("you are gemini-");
    },
    T,
  );

  test(
    "is placed as Gemini's from its payload when coord hook was registered without --host",
    () => {
      const repo = tempRepo();
      repo.claim(repo.bead("Greeting", "Files: hello.txt"), ME_A);
      expect(hook(repo, null, { ...fixture("gemini", "beforetool-write_file.json"), cwd: repo.dir }).json?.decision).toBe("deny");
    },
    T,
  );

  test(
    "run_shell_command writing a claimed file is refused (captured under --approval-mode yolo, the mode that offers it)",
    () => {
      const repo = tempRepo();
      repo.claim(repo.bead("Shell output", "Files: shell.txt"), ME_A);
      const r = hook(repo, "gemini", { ...fixture("gemini", "beforetool-run_shell_command.json"), cwd: repo.dir });
      expect(r.json?.decision).toBe("deny");
      expect(String(r.json?.reason)).toContain("shell.txt");
    },
    T,
  );

  test(
    "allowed with a note: Gemini shows BeforeTool's lines to the person only, so AfterTool says them to the model, once",
    () => {
      const repo = tempRepo();
      const id = repo.bead("Greeting", "Files: hello.txt");
      repo.bd(["update", id, "--status", "in_progress"]);
      const before = hook(repo, "gemini", { ...fixture("gemini", "beforetool-write_file.json"), cwd: repo.dir });
      expect(before.json?.decision).toBeUndefined();
      const note = String(before.json?.systemMessage ?? "");
      expect(note).toContain(id);
      repo.write("hello.txt", "hi\n");
      const after = hook(repo, "gemini", { ...fixture("gemini", "aftertool-write_file.json"), cwd: repo.dir });
      const context = String((after.json?.hookSpecificOutput as { additionalContext?: string } | undefined)?.additionalContext ?? "");
      expect(context).toContain(note);
      const again = hook(repo, "gemini", { ...fixture("gemini", "aftertool-write_file.json"), cwd: repo.dir });
      expect(JSON.stringify(again.json ?? {})).not.toContain(id);
    },
    T,
  );

  test(
    "of a free file prints no decision (Gemini reads any non-JSON stdout as allow)",
    () => {
      const repo = tempRepo();
      const r = hook(repo, "gemini", { ...fixture("gemini", "beforetool-write_file.json"), cwd: repo.dir });
      expect(r.code).toBe(0);
      expect(r.json?.decision).toBeUndefined();
    },
    T,
  );
});

describe("an OpenCode tool call from coord's plugin", () => {
  const payload = (repo: Repo) => {
    const f = fixture("opencode", "tool.execute.before-write.json") as { input: { tool: string; sessionID: string; callID: string }; output: { args: Record<string, unknown> } };
    return { hook_event_name: "tool.execute.before", session_id: f.input.sessionID, cwd: repo.dir, tool_name: f.input.tool, tool_input: f.output.args, tool_use_id: f.input.callID };
  };

  test(
    "writing a claimed file gets the deny the plugin throws",
    () => {
      const repo = tempRepo();
      repo.claim(repo.bead("Greeting", "Files: hello.txt"), ME_A);
      const r = hook(repo, "opencode", payload(repo));
      expect(r.json?.decision).toBe("deny");
      expect(String(r.json?.reason)).toContain("coord: refused write of hello.txt");
      expect(String(r.json?.reason)).toContain("you are opencode-");
    },
    T,
  );

  test(
    "writing a free file is allowed",
    () => {
      const repo = tempRepo();
      expect(hook(repo, "opencode", payload(repo)).json).toEqual({ decision: "allow", context: "" });
    },
    T,
  );
});

describe("the OpenCode plugin coord init writes, loaded as OpenCode loads it", () => {
  type Hooks = Record<string, (input: unknown, output: unknown) => Promise<void>>;
  async function load(repo: Repo, program: string[]): Promise<Hooks> {
    const file = join(repo.dir, `.opencode/plugin/coord-${Math.random().toString(36).slice(2)}.ts`);
    await Bun.write(file, renderOpencodePlugin(program));
    const mod = (await import(file)) as { CoordGuard: (ctx: { directory: string }) => Promise<Hooks> };
    return mod.CoordGuard({ directory: repo.dir });
  }
  const call = (tool: string, filePath: string) => [{ tool, sessionID: "ses_dcc4c538affe13oD2x6RH5uxR4", callID: "c1" }, { args: { filePath, content: "x" } }] as const;

  test(
    "throws the card for a claimed file and lets a free one through",
    async () => {
      const repo = tempRepo();
      repo.claim(repo.bead("Greeting", "Files: hello.txt"), ME_A);
      const hooks = await load(repo, [COORD]);
      const before = hooks["tool.execute.before"] as Hooks[string];
      await expect(before(...call("write", "hello.txt"))).rejects.toThrow("coord: refused write of hello.txt");
      await expect(before(...call("write", "free.txt"))).resolves.toBeUndefined();
    },
    T,
  );

  test(
    "exports the session's identity to its bash tool, the same one coord gives it",
    async () => {
      const repo = tempRepo({ beads: false });
      const hooks = await load(repo, [COORD]);
      const out = { env: {} as Record<string, string> };
      await hooks["shell.env"]?.({ cwd: repo.dir, sessionID: "ses_dcc4c538affe13oD2x6RH5uxR4", callID: "c" }, out);
      expect(out.env.BEADS_ACTOR).toBe(sessionIdentity("opencode", "ses_dcc4c538affe13oD2x6RH5uxR4"));
      expect(out.env.BD_ACTOR).toBe(out.env.BEADS_ACTOR);
    },
    T,
  );

  test(
    "refuses writes, and only writes, when coord cannot be run",
    async () => {
      const repo = tempRepo({ beads: false });
      const hooks = await load(repo, ["/nonexistent/coord"]);
      const before = hooks["tool.execute.before"] as Hooks[string];
      await expect(before(...call("edit", "a.txt"))).rejects.toThrow(/coord: refused edit: coord could not be run \(\/nonexistent\/coord/);
      await expect(before(...call("read", "a.txt"))).resolves.toBeUndefined();
    },
    T,
  );
});

describe("what coord cannot place", () => {
  test(
    "an unknown host is one line on stderr and no decision",
    () => {
      const repo = tempRepo({ beads: false });
      const r = hook(repo, "cursor", "{}");
      expect(r.code).toBe(0);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n")).toEqual(['coord: unknown host "cursor"; nothing checked']);
    },
    T,
  );

  test(
    "a payload that is not JSON is one note, exit 0, for every host",
    () => {
      const repo = tempRepo({ beads: false });
      for (const host of ["codex", "gemini", "opencode"]) {
        const r = hook(repo, host, "not json");
        expect(r.code).toBe(0);
        expect(r.stderr).toContain("hook input is not JSON");
      }
    },
    T,
  );
});
