// Each agent host's hook cost next to Claude Code's, on the same claims (10 beads, 3 in
// progress, bench.ts's first row): one `coord hook` process per event on every host, interleaved so machine noise hits
// all alike; and the OpenCode plugin's own overhead per tool call (the plugin calling coord,
// against coord called directly). A report: nothing is asserted.
import { rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { renderOpencodePlugin } from "../src/edges/opencode-plugin";
import { setup, spawn, stats } from "./benchlib";

const ROOT = resolve(import.meta.dir, "..");
const COORD = resolve(process.env.COORD_BIN ?? join(ROOT, "dist/coord"));
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const SID = "01a233b5-5037-7722-b556-b8d143d5a275";

const { dir, repo, e } = setup(10, 3);
const claimed = "src/mod3/x.ts";
const free = "free/y.ts";

/** One PreToolUse-equivalent event per host, for a file; [argv, stdin]. */
const EVENTS: Record<string, (file: string) => [string[], string]> = {
  claude: (f) => [[COORD, "hook"], JSON.stringify({ session_id: SID, hook_event_name: "PreToolUse", cwd: repo, tool_name: "Write", tool_input: { file_path: join(repo, f), content: "x" } })],
  codex: (f) => [
    [COORD, "hook", "--host", "codex"],
    JSON.stringify({ session_id: SID, turn_id: SID, cwd: repo, hook_event_name: "PreToolUse", tool_name: "apply_patch", tool_input: { command: `*** Begin Patch\n*** Update File: ${f}\n@@\n-a\n+b\n*** End Patch\n` } }),
  ],
  gemini: (f) => [[COORD, "hook", "--host", "gemini"], JSON.stringify({ session_id: SID, cwd: repo, hook_event_name: "BeforeTool", tool_name: "write_file", tool_input: { file_path: f, content: "x" } })],
  opencode: (f) => [[COORD, "hook", "--host", "opencode"], JSON.stringify({ session_id: `ses_${SID}`, cwd: repo, hook_event_name: "tool.execute.before", tool_name: "write", tool_input: { filePath: f, content: "x" } })],
};

// The plugin as coord init writes it, loaded the way OpenCode loads it, with this repository's env.
const pluginFile = join(dir, "coord-plugin.ts");
writeFileSync(pluginFile, renderOpencodePlugin([COORD]));
Object.assign(process.env, e);
const plugin = (await (await import(pluginFile)).CoordGuard({ directory: repo })) as Record<string, (i: unknown, o: unknown) => Promise<void>>;
const viaPlugin = async (f: string): Promise<number> => {
  const t0 = Bun.nanoseconds();
  await plugin["tool.execute.before"]?.({ tool: "write", sessionID: `ses_${SID}`, callID: "c" }, { args: { filePath: f, content: "x" } }).catch(() => {});
  return (Bun.nanoseconds() - t0) / 1e6;
};

const [argv0, stdin0] = (EVENTS.claude as (f: string) => [string[], string])(claimed);
spawn(argv0, repo, e, stdin0); // the snapshot, once
const times: Record<string, number[]> = {};
for (let i = 0; i < RUNS; i++) {
  const f = i % 2 ? claimed : free;
  for (const [host, ev] of Object.entries(EVENTS)) {
    const [argv, stdin] = ev(f);
    (times[host] ??= []).push(spawn(argv, repo, e, stdin));
  }
  (times["opencode plugin"] ??= []).push(await viaPlugin(f));
}
rmSync(dir, { recursive: true, force: true });

const fmt = (x: number) => x.toFixed(1).padStart(8);
const base = stats(times.claude ?? []).median;
console.log(`coord bench-hosts: ${COORD} (${RUNS} pre-tool events per host, half on a claimed file; ms; 10 beads / 3 in progress)`);
console.log(`${"host".padEnd(18)} ${"median".padStart(8)} ${"p95".padStart(8)} ${"vs claude".padStart(10)}`);
for (const [host, xs] of Object.entries(times)) {
  const s = stats(xs);
  console.log(`${host.padEnd(18)} ${fmt(s.median)} ${fmt(s.p95)} ${(s.median / base).toFixed(2).padStart(9)}x`);
}
const plug = stats(times["opencode plugin"] ?? []).median - stats(times.opencode ?? []).median;
console.log(`opencode plugin overhead over coord hook alone: ${plug.toFixed(1)} ms per call; OpenCode runs it twice per tool call (before and after)`);
console.log("target: every host within 1.1x of Claude Code's hook (the same pipeline; only parsing and encoding differ)");
