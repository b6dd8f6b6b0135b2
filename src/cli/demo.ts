// `coord demo`: two sessions' hook calls played against a real beads database in a throwaway repo.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineCommand } from "citty";
import { consola } from "consola";
import { bd, describeFailure } from "../edges/bd";
import { runSync, run } from "../edges/proc";
import { selfCommand } from "../edges/self";
import { fail } from "./context";

const A = "aaaaaaaa-0000-4000-8000-000000000001";
const B = "bbbbbbbb-0000-4000-8000-000000000002";

interface Step {
  who: "A" | "B";
  file: string;
  expect: "refused" | "allowed";
}

export default defineCommand({
  meta: { name: "demo", description: "Play two sessions' edits in a throwaway repo with a real beads database" },
  args: { keep: { type: "boolean", description: "keep the throwaway repository and print its path" } },
  async run({ args }) {
    const dir = mkdtempSync(join(tmpdir(), "coord-demo-"));
    // bd and the played hooks must not inherit the caller's identity, or A and B would be one person.
    const env: Record<string, string | undefined> = { ...process.env, BEADS_ACTOR: undefined, BD_ACTOR: undefined, CLAUDE_CODE_SESSION_ID: undefined, BEADS_DIR: undefined };
    let failed = 0;
    try {
      const git = (...a: string[]) => runSync(["git", ...a], { cwd: dir, env, timeoutMs: 10_000 });
      git("init", "-q", "-b", "main");
      git("config", "user.name", "coord demo");
      git("config", "user.email", "demo@coord.invalid");
      consola.start(`throwaway repository ${dir}`);
      const init = await bd(["init", "--prefix", "demo", "--quiet", "--skip-hooks", "--skip-agents", "--non-interactive"], dir, { ...env, HOME: dir, BEADS_DOLT_AUTO_START: "0" }, 60_000);
      if (init.code !== 0) fail(`bd init: ${describeFailure(init, "bd init")}`);
      mkdirSync(join(dir, "src", "api"), { recursive: true });
      const created = await bd(["create", "Add API routes", "-t", "task", "--description", "Files: src/api/", "--silent", "--actor", "claude-aaaaaaaa"], dir, env);
      const id = created.stdout.trim();
      if (created.code !== 0 || !id) fail(`bd create: ${describeFailure(created, "bd create")}`);
      consola.info(`bead ${id} "Add API routes" with Files: src/api/`);
      const claim = await bd(["update", id, "--claim", "--actor", "claude-aaaaaaaa"], dir, env);
      if (claim.code !== 0) fail(`bd update --claim: ${describeFailure(claim, "bd update --claim")}`);
      consola.info(`session A (claude-aaaaaaaa) claimed ${id}: bd update ${id} --claim`);

      const steps: Step[] = [
        { who: "B", file: "src/api/routes.ts", expect: "refused" },
        { who: "B", file: "src/db/schema.ts", expect: "allowed" },
        { who: "A", file: "src/api/routes.ts", expect: "allowed" },
      ];
      for (const s of steps) {
        const event = {
          session_id: s.who === "A" ? A : B,
          hook_event_name: "PreToolUse",
          cwd: dir,
          tool_name: "Write",
          tool_input: { file_path: join(dir, s.file), content: "// demo\n" },
        };
        const r = await run([...selfCommand(), "hook"], { cwd: dir, env, stdin: JSON.stringify(event), timeoutMs: 15_000 });
        let reason: string | null = null;
        try {
          const out = JSON.parse(r.stdout || "{}") as { hookSpecificOutput?: { permissionDecision?: string; permissionDecisionReason?: string } };
          if (out.hookSpecificOutput?.permissionDecision === "deny") reason = out.hookSpecificOutput.permissionDecisionReason ?? "";
        } catch {
          reason = null;
        }
        const got = reason === null ? "allowed" : "refused";
        const line = `session ${s.who} writes ${s.file}: ${got}`;
        if (got === s.expect) consola.success(line);
        else {
          failed++;
          consola.fail(`${line}, expected ${s.expect}${r.stderr ? `\n${r.stderr}` : ""}`);
        }
        if (reason) consola.log(reason.replace(/^/gm, "    "));
      }
    } finally {
      if (args.keep) consola.info(`kept ${dir}`);
      else rmSync(dir, { recursive: true, force: true });
    }
    if (failed) fail(`${failed} step(s) did not go as expected`);
    consola.success("the guard refuses another session's claimed file and lets everything else through");
  },
});
