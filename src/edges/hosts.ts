// The other agent hosts' files on this machine: what `coord init --host X` writes (the project's
// registration and, with --trust, the person's own trust entries) and what `coord doctor` reads to
// tell whether each host will actually run coord. Decisions and formats live in core/hostreg.ts.
import { createHash } from "node:crypto";
import { homedir } from "node:os";
import { join } from "node:path";
import {
  CODEX_HOOKS_FILE,
  GEMINI_SETTINGS_FILE,
  OPENCODE_PLUGIN_FILE,
  type OtherHost,
  codexTrustEntries,
  codexTrustState,
  geminiTrusted,
  renderHostSettings,
  trustCodex,
  trustGemini,
} from "../core/hostreg";
import { commandProgram, hookCommand } from "../core/settings";
import { readText } from "./fs";
import { renderOpencodePlugin } from "./opencode-plugin";

type Env = Record<string, string | undefined>;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

export const OTHER_HOSTS: readonly OtherHost[] = ["codex", "gemini", "opencode"];

/** The command a host's registration runs: this coord, told which host is calling. */
export function hostHookCommand(program: readonly string[], host: OtherHost): string {
  return `${hookCommand(program)} --host ${host}`;
}

export const codexConfigFile = (env: Env) => join(env.CODEX_HOME || join(env.HOME || homedir(), ".codex"), "config.toml");
export const geminiTrustFile = (env: Env) => join(env.GEMINI_CLI_HOME || env.HOME || homedir(), ".gemini", "trustedFolders.json");

export interface HostWrite {
  /** Absolute. */
  file: string;
  before: string | null;
  text: string;
  what: string;
}

export interface HostPlan {
  writes: HostWrite[];
  errors: string[];
  /** Already as wanted. */
  current: string[];
  /** What the person must approve in the host, or what --trust wrote, per host. */
  approvals: string[];
  /** Repository-relative files that name this machine's coord binary (kept out of commits). */
  local: string[];
}

/** Plans `coord init --host …` for the hosts other than Claude Code; writes nothing. */
export function planHosts(root: string, hosts: readonly OtherHost[], program: readonly string[], env: Env, trust: boolean): HostPlan {
  const plan: HostPlan = { writes: [], errors: [], current: [], approvals: [], local: [] };
  for (const host of hosts) {
    const command = hostHookCommand(program, host);
    if (host === "opencode") {
      const file = join(root, OPENCODE_PLUGIN_FILE);
      const text = renderOpencodePlugin([...program]);
      const before = readText(file);
      if (before === text) plan.current.push(`${OPENCODE_PLUGIN_FILE}: current`);
      else plan.writes.push({ file, before, text, what: `${before === null ? "created" : "updated"} ${OPENCODE_PLUGIN_FILE} (OpenCode plugin running ${commandProgram(command)})` });
      plan.local.push(OPENCODE_PLUGIN_FILE);
      plan.approvals.push(
        "OpenCode: nothing to approve; it loads .opencode/plugin/coord.ts by itself and installs its own @opencode-ai/plugin package into .opencode/ once (OpenCode's doing: the plugin imports nothing). `opencode --pure`, OPENCODE_PURE or OPENCODE_DISABLE_PROJECT_CONFIG run without it: unguarded.",
      );
      continue;
    }
    const rel = host === "codex" ? CODEX_HOOKS_FILE : GEMINI_SETTINGS_FILE;
    const file = join(root, rel);
    const before = readText(file);
    const r = renderHostSettings(host, before, command);
    if (!r.ok) {
      plan.errors.push(`${rel}:${r.error}; the file was left untouched, fix it and run coord init again`);
      continue;
    }
    if (r.changes.length) plan.writes.push({ file, before, text: r.text, what: `${before === null ? "created" : "updated"} ${rel}: ${r.changes.join(", ")} (${command})` });
    else plan.current.push(`${rel}: hooks already registered (${command})`);
    if (host === "codex") plan.local.push(CODEX_HOOKS_FILE);
    if (host === "codex") {
      const cfg = codexConfigFile(env);
      const entries = codexTrustEntries(file, r.text, command, sha256);
      if (trust) {
        const cur = readText(cfg) ?? "";
        const next = trustCodex(cur, root, entries);
        if (next !== cur)
          plan.writes.push({
            file: cfg,
            before: cur,
            text: next,
            what: `wrote into ${cfg}: [projects."${root}"] trust_level = "trusted", and trusted_hash for ${entries.length} coord hook(s) under [hooks.state."${file}:<event>:<group>:<handler>"]`,
          });
        plan.approvals.push(`Codex: trusted by --trust (${cfg}); a changed hook command (coord moved) needs coord init --host codex --trust again.`);
      } else
        plan.approvals.push(
          `Codex: runs a project's hooks only once trusted, and skips untrusted ones without a word. Start \`codex\` in ${root}: trust the project, then approve coord's ${entries.length} hooks when it lists hooks that need review (or run coord init --host codex --trust, which writes both into ${cfg}). A changed hook command needs the approval again.`,
        );
    } else {
      const tf = geminiTrustFile(env);
      if (trust) {
        const was = readText(tf);
        const t = trustGemini(was, root);
        if (!t.ok) plan.errors.push(`${tf}: ${t.error}; not changed`);
        else if (t.changes.length) plan.writes.push({ file: tf, before: was, text: t.text, what: `wrote into ${tf}: "${root}": "TRUST_FOLDER"` });
        plan.approvals.push(`Gemini CLI: ${root} trusted by --trust (${tf}). \`gemini --skip-trust\` still runs without project hooks: unguarded.`);
      } else
        plan.approvals.push(
          `Gemini CLI: loads project hooks only in a trusted folder. Start \`gemini\` in ${root} and trust the folder when it asks (or run coord init --host gemini --trust, which writes it into ${tf}). \`gemini --skip-trust\` runs without project hooks: unguarded.`,
        );
    }
  }
  return plan;
}

export interface HostCheck {
  level: "ok" | "warn" | "fail";
  text: string;
  fix?: string;
}

function tomlOf(text: string | null): Record<string, unknown> | null {
  if (text === null) return {};
  try {
    return Bun.TOML.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** `coord doctor` for every host registered in this repository: will the host really run coord? */
export function inspectHosts(root: string, program: readonly string[], env: Env, exists: (p: string) => boolean): HostCheck[] {
  const out: HostCheck[] = [];
  const add = (level: HostCheck["level"], text: string, fix?: string) => out.push(fix ? { level, text, fix } : { level, text });

  const codexText = readText(join(root, CODEX_HOOKS_FILE));
  if (codexText !== null) {
    const command = hostHookCommand(program, "codex");
    const file = join(root, CODEX_HOOKS_FILE);
    const entries = codexTrustEntries(file, codexText, command, sha256);
    if (!entries.length) add("fail", `${CODEX_HOOKS_FILE} does not run this coord (${command})`, "coord init --host codex");
    else {
      const cfgFile = codexConfigFile(env);
      const cfg = tomlOf(readText(cfgFile));
      if (!cfg) add("fail", `Codex: ${cfgFile} is not valid TOML; Codex's trust cannot be read`, `fix ${cfgFile}`);
      else {
        const st = codexTrustState(cfg, root, entries);
        if (!st.projectTrusted) add("fail", `Codex: this project is not trusted in ${cfgFile}, so Codex ignores .codex/ and coord is not run`, "trust the project in codex, or coord init --host codex --trust");
        if (st.untrusted.length)
          add("fail", `Codex: ${st.untrusted.length} of coord's ${entries.length} hooks are not trusted (${st.untrusted.map((e) => e.event).join(", ")}); Codex skips them without a word`, "approve them when codex lists hooks to review, or coord init --host codex --trust");
        if (st.projectTrusted && !st.untrusted.length) add("ok", `Codex: ${entries.length} hooks registered and trusted`);
      }
    }
  }

  const geminiText = readText(join(root, GEMINI_SETTINGS_FILE));
  if (geminiText !== null && geminiText.includes("--host gemini")) {
    const command = hostHookCommand(program, "gemini");
    if (!geminiText.includes(JSON.stringify(command).slice(1, -1))) add("fail", `${GEMINI_SETTINGS_FILE} does not run this coord (${command})`, "coord init --host gemini");
    const tf = geminiTrustFile(env);
    let folders: Record<string, unknown> = {};
    try {
      folders = JSON.parse(readText(tf) ?? "{}") as Record<string, unknown>;
    } catch {
      add("fail", `Gemini CLI: ${tf} is not JSON`, `fix ${tf}`);
    }
    if (env.GEMINI_CLI_TRUST_WORKSPACE === "true" || geminiTrusted(folders, root)) add("ok", "Gemini CLI: hooks registered, folder trusted (gemini --skip-trust would still skip them)");
    else add("fail", `Gemini CLI: ${root} is not a trusted folder in ${tf}, so Gemini CLI loads no project hooks`, "trust the folder when gemini asks, or coord init --host gemini --trust");
  }

  const pluginText = readText(join(root, OPENCODE_PLUGIN_FILE));
  if (pluginText !== null) {
    if (pluginText !== renderOpencodePlugin([...program]))
      add("fail", `OpenCode: ${OPENCODE_PLUGIN_FILE} is not the one this coord writes; OpenCode drops a plugin that fails to load without a word`, "coord init --host opencode");
    else if (!exists(program[0] ?? "")) add("fail", `OpenCode: the plugin runs ${program[0]}, which does not exist; every write is refused`, "coord init --host opencode");
    else add("ok", "OpenCode: plugin current");
    for (const v of ["OPENCODE_PURE", "OPENCODE_DISABLE_PROJECT_CONFIG"]) if (env[v]) add("warn", `OpenCode: ${v} is set here; OpenCode started with it loads no project plugin`, `unset ${v}`);
  }
  return out;
}
