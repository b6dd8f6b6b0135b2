// Runs the real Codex CLI, Gemini CLI and OpenCode headless against the scripted servers of
// hostapis.ts, each with its own isolated home, the way a person would after `coord init --host X`.
// The CLIs are pinned and cached outside node_modules by scripts/hosts (about 900 MB together).
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { setTomlValue, tomlString } from "../../../src/core/hostreg";
import { COORD, ROOT, cleanEnv, tempDir } from "../../support/world";
import { type HostApi, type HostScriptTurn, startHostApi } from "./hostapis";

export type HostCli = "codex" | "gemini" | "opencode";

/** The CLIs' binaries, from scripts/hosts (which installs a missing one into its cache first). */
function hostBins(): Partial<Record<HostCli, string>> {
  if (process.env.COORD_E2E_HOSTS === "0") return {};
  const r = Bun.spawnSync(["bash", join(ROOT, "scripts/hosts")], { stdout: "pipe", stderr: "pipe", timeout: 900_000 });
  if (r.exitCode !== 0) {
    console.warn(`scripts/hosts failed (exit ${r.exitCode}): ${r.stderr.toString().slice(-400)}`);
    return {};
  }
  const out: Partial<Record<HostCli, string>> = {};
  for (const line of r.stdout.toString().split("\n")) {
    const [host, bin] = line.trim().split(" ");
    if (host && bin && existsSync(bin)) out[host as HostCli] = bin;
  }
  return out;
}

export const HOST_BINS = hostBins();
export const haveHost = (h: HostCli) => !!HOST_BINS[h];

/** Prints, once per file, which host CLIs are missing (their suites skip). */
export function announceHostSkips(file: string): void {
  for (const h of ["codex", "gemini", "opencode"] as HostCli[]) if (!haveHost(h)) console.warn(`${file}: ${h} SKIPPED: not installed (bash scripts/hosts)`);
}

export interface HostRun {
  code: number | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  api: HostApi;
  /** The bodies of the requests answered from the script, in order. */
  bodies: Record<string, unknown>[];
  ms: number;
}

export interface HostRunOptions {
  cwd: string;
  script: HostScriptTurn[];
  /** The host's home (its config and, for Codex and Gemini, the trust coord init --trust wrote). */
  home: string;
  prompt?: string;
  args?: string[];
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

function basePath(): string {
  const bd = Bun.which("bd");
  return [bd ? dirname(bd) : null, process.env.PATH ?? "/usr/bin:/bin"].filter(Boolean).join(":");
}

/** The environment variables that point each host at its home; `coord init --trust` needs the same. */
export function hostHomeEnv(host: HostCli, home: string): Record<string, string> {
  if (host === "codex") return { CODEX_HOME: join(home, ".codex") };
  if (host === "gemini") return { GEMINI_CLI_HOME: home };
  return { XDG_CONFIG_HOME: join(home, ".config"), XDG_DATA_HOME: join(home, ".local/share"), XDG_CACHE_HOME: join(home, ".cache"), XDG_STATE_HOME: join(home, ".local/state") };
}

/** Runs `coord init --host <host> --trust` in `cwd` with the host's home, as a person would once. */
export function initHost(host: HostCli, cwd: string, home: string, coordBin = COORD): { code: number; out: string } {
  const env = cleanEnv(home, { PATH: basePath(), ...hostHomeEnv(host, home) });
  const r = Bun.spawnSync([coordBin, "init", "--host", host, "--trust"], { cwd, env, stdout: "pipe", stderr: "pipe", timeout: 60_000 });
  return { code: r.exitCode ?? -1, out: r.stdout.toString() + r.stderr.toString() };
}

async function run(host: HostCli, argv: string[], o: HostRunOptions, api: HostApi, env: Record<string, string>): Promise<HostRun> {
  const started = Date.now();
  try {
    // OpenCode takes its project folder from $PWD, not from its working directory: both must agree.
    const proc = Bun.spawn(argv, { cwd: o.cwd, env: { ...env, PWD: o.cwd }, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      proc.kill("SIGKILL");
    }, o.timeoutMs ?? 60_000);
    const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    clearTimeout(timer);
    return { code: timedOut ? null : code, timedOut, stdout, stderr, api, bodies: api.scripted(), ms: Date.now() - started };
  } finally {
    api.stop();
    void host;
  }
}

const CODEX_PROVIDER = "model_providers.coord_e2e";

/** `codex exec --json` against a Responses API server; the model is gpt-5.5 (Codex offers it apply_patch). */
export async function runCodex(o: HostRunOptions): Promise<HostRun> {
  const api = startHostApi("responses", o.script);
  const codexHome = join(o.home, ".codex");
  mkdirSync(codexHome, { recursive: true });
  const cfgFile = join(codexHome, "config.toml");
  let cfg = existsSync(cfgFile) ? readFileSync(cfgFile, "utf8") : "";
  // Top-level keys must come before any table: written once, first.
  if (!cfg.includes("model_provider = ")) cfg = `model = "gpt-5.5"\nmodel_provider = "coord_e2e"\n\n${cfg}`;
  cfg = setTomlValue(cfg, CODEX_PROVIDER, "name", tomlString("coord e2e"));
  cfg = setTomlValue(cfg, CODEX_PROVIDER, "base_url", tomlString(`${api.url}/v1`));
  cfg = setTomlValue(cfg, CODEX_PROVIDER, "wire_api", tomlString("responses"));
  cfg = setTomlValue(cfg, CODEX_PROVIDER, "env_key", tomlString("OPENAI_API_KEY"));
  writeFileSync(cfgFile, cfg);
  const env = cleanEnv(o.home, { PATH: basePath(), CODEX_HOME: codexHome, OPENAI_API_KEY: "sk-e2e-offline", ...o.env });
  return run("codex", [HOST_BINS.codex as string, "exec", "--json", "--disable", "plugins", ...(o.args ?? []), o.prompt ?? "go"], o, api, env);
}

/** `gemini -p` in auto_edit mode (the mode that offers write tools headless) against a Gemini API server. */
export async function runGemini(o: HostRunOptions): Promise<HostRun> {
  const api = startHostApi("gemini", o.script);
  const settings = join(o.home, ".gemini", "settings.json");
  if (!existsSync(settings)) {
    mkdirSync(dirname(settings), { recursive: true });
    writeFileSync(settings, `${JSON.stringify({ security: { auth: { selectedType: "gemini-api-key" } } }, null, 2)}\n`);
  }
  const env = cleanEnv(o.home, { PATH: basePath(), GEMINI_CLI_HOME: o.home, GOOGLE_GEMINI_BASE_URL: api.url, GEMINI_API_KEY: "e2e-offline", ...o.env });
  const argv = [HOST_BINS.gemini as string, "-m", "gemini-2.5-flash", "--approval-mode", "auto_edit", "--output-format", "stream-json", ...(o.args ?? []), "-p", o.prompt ?? "go"];
  return run("gemini", argv, o, api, env);
}

/** Where the OpenCode plugin folder's own packages are kept between runs (OpenCode installs them once per folder). */
const OPENCODE_DEPS = join(process.env.COORD_HOSTS_CACHE ?? join(process.env.HOME ?? "/tmp", ".cache/coord/hosts"), "opencode-config-deps");
const DEP_FILES = ["node_modules", "package.json", "package-lock.json"];

/**
 * OpenCode installs @opencode-ai/plugin into every config folder it reads (.opencode/ and its
 * global folder) unless the folder already has it: about 17 s per fresh folder, 80 s without a
 * registry. The tests copy one cached install into each fresh folder, and keep the first one made.
 */
function seedOpencodeDeps(dir: string): void {
  if (!existsSync(join(OPENCODE_DEPS, "package-lock.json"))) return;
  mkdirSync(dir, { recursive: true });
  // node_modules linked, not copied: thousands of files a test's cleanup would have to delete.
  for (const f of DEP_FILES) if (!existsSync(join(dir, f))) f === "node_modules" ? symlinkSync(join(OPENCODE_DEPS, f), join(dir, f)) : cpSync(join(OPENCODE_DEPS, f), join(dir, f));
}
function keepOpencodeDeps(dir: string): void {
  if (existsSync(join(OPENCODE_DEPS, "package-lock.json")) || !existsSync(join(dir, "package-lock.json")) || lstatSync(join(dir, "node_modules")).isSymbolicLink()) return;
  mkdirSync(OPENCODE_DEPS, { recursive: true });
  for (const f of DEP_FILES) cpSync(join(dir, f), join(OPENCODE_DEPS, f), { recursive: true });
}

/** `opencode run --format json` against a chat completions server, provider and permissions in its global config. */
export async function runOpencode(o: HostRunOptions): Promise<HostRun> {
  const api = startHostApi("chat", o.script);
  const homeEnv = hostHomeEnv("opencode", o.home);
  const globalDir = join(homeEnv.XDG_CONFIG_HOME as string, "opencode");
  mkdirSync(globalDir, { recursive: true });
  const config = {
    $schema: "https://opencode.ai/config.json",
    model: "coord_e2e/m",
    provider: { coord_e2e: { npm: "@ai-sdk/openai-compatible", name: "coord e2e", options: { baseURL: `${api.url}/v1`, apiKey: "e2e-offline" }, models: { m: { name: "m", tool_call: true } } } },
    permission: { edit: "allow", bash: "allow" },
  };
  writeFileSync(join(globalDir, "opencode.json"), `${JSON.stringify(config, null, 2)}\n`);
  const projectDir = join(o.cwd, ".opencode");
  for (const d of [globalDir, projectDir]) seedOpencodeDeps(d);
  const env = cleanEnv(o.home, {
    PATH: basePath(),
    ...homeEnv,
    OPENCODE_DISABLE_AUTOUPDATE: "1",
    OPENCODE_DISABLE_MODELS_FETCH: "1",
    OPENCODE_DISABLE_DEFAULT_PLUGINS: "1",
    OPENCODE_DISABLE_SHARE: "1",
    ...o.env,
  });
  const r = await run("opencode", [HOST_BINS.opencode as string, "run", "--format", "json", ...(o.args ?? []), o.prompt ?? "go"], { timeoutMs: 120_000, ...o }, api, env);
  for (const d of [projectDir, globalDir]) keepOpencodeDeps(d);
  return r;
}

/** A fresh home for one host's sessions. */
export const hostHome = (host: HostCli) => tempDir(`coord-e2e-${host}-home-`);

/** A short account of a run for assertion messages. */
export function describeHostRun(r: HostRun): string {
  return `exit ${r.code}${r.timedOut ? " (timed out)" : ""} in ${r.ms} ms, ${r.bodies.length} scripted requests\nstdout: ${r.stdout.slice(-600)}\nstderr: ${r.stderr.slice(-800)}`;
}
