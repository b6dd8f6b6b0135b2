// `coord doctor`: one line per check, with the fix when it fails.
import { defineCommand } from "citty";
import { claimProblems } from "../core/claims";
import { patternProblem } from "../core/match";
import { firstOf, name, pattern } from "../core/text";
import { CONFIG_FILE } from "../core/zones";
import { bd, bdBinary } from "../edges/bd";
import { claimsOf, repoContext, shellIdentity } from "./context";
import { inspectHosts } from "../edges/hosts";
import { selfCommand } from "../edges/self";
import { SETTINGS_LOCAL, SETTINGS_SHARED, deadZoneWarnings, inspectHooks, inspectSections, neighbourLines, programExists } from "./init";
import { useColor } from "./status";

type Level = "ok" | "warn" | "fail";

interface Check {
  level: Level;
  text: string;
  fix?: string;
}

export default defineCommand({
  meta: { name: "doctor", description: "Check bd, the beads database, the hooks, coord.toml, the sections, the snapshot and your identity" },
  async run() {
    const ctx = repoContext();
    const checks: Check[] = [];
    const add = (level: Level, text: string, fix?: string) => checks.push(fix ? { level, text, fix } : { level, text });

    const bdBin = bdBinary(ctx.env);
    const where = bdBin.includes("/") ? bdBin : Bun.which(bdBin, { PATH: ctx.env.PATH ?? "" });
    if (!where) add("fail", `bd not found on PATH or in ~/go/bin (${bdBin})`, "install beads v1.0.5: scripts/setup, or CGO_ENABLED=1 GOFLAGS=-tags=gms_pure_go go install github.com/steveyegge/beads/cmd/bd@v1.0.5");
    else {
      const v = await bd(["--version"], ctx.repo.root, ctx.env, 10_000);
      const version = /(\d+\.\d+\.\d+)/.exec(v.stdout)?.[1];
      if (v.code === 0 && version) add("ok", `bd ${version} at ${where}`);
      else add("fail", `bd at ${where} does not answer --version (exit ${v.code})`, "reinstall bd: scripts/setup");
    }

    if (ctx.loc) add("ok", `beads database at ${ctx.loc.dir}`);
    else add("fail", "no beads database for this repository", "bd init");

    const hooks = inspectHooks(ctx.repo.root, [SETTINGS_LOCAL, SETTINGS_SHARED]);
    // The other hosts registered here, and whether each will really run coord (trust, plugin load).
    const others = inspectHosts(ctx.repo.root, selfCommand(), ctx.env, programExists);
    // A repository guarded for Codex only is not broken for lack of Claude Code's hooks.
    if (hooks.problems.length && others.length && !hooks.programs.length) add("warn", "Claude Code: hooks not registered", "coord init --host claude");
    else if (hooks.problems.length) add("fail", hooks.problems.join("; "), "coord init");
    else add("ok", `hooks registered, running ${hooks.programs.join(", ")}`);
    const around = neighbourLines(ctx.repo.root, ctx.env);
    for (const w of around.warnings) add("warn", w);
    for (const i of around.infos) add("ok", i);
    for (const c of others) add(c.level, c.text, c.fix);

    if (!ctx.cfg.present) add("warn", `no ${CONFIG_FILE}: no zones, every file is claimed through beads only`, "coord init (proposes zones from the repository's layout)");
    else if (ctx.cfg.error) add("fail", ctx.cfg.error.split("\n")[0] ?? ctx.cfg.error, `fix ${CONFIG_FILE} (coord init --check shows a correct example)`);
    else {
      add("ok", `${CONFIG_FILE} valid: ${ctx.cfg.config.zones.length} zone(s)`);
      for (const w of deadZoneWarnings(ctx.repo.root, ctx.cfg.config)) add("warn", w);
      for (const z of ctx.cfg.config.zones) {
        for (const p of z.paths) {
          const problem = patternProblem(p);
          if (problem) add("warn", `zone ${name(z.name)}: ${pattern(p)} ${problem}`, `narrow the zone's paths in ${CONFIG_FILE}`);
        }
      }
    }

    if (!ctx.cfg.error) {
      for (const s of inspectSections(ctx.repo.root, ctx.cfg.config)) {
        if (s.problem) add("fail", s.problem, "coord init");
        else add("ok", `${s.file} section current`);
      }
    }

    if (ctx.loc) {
      const view = await claimsOf(ctx);
      const n = view.snapshot?.beads.filter((b) => b.status === "in_progress").length ?? 0;
      const flagged = (view.snapshot?.beads ?? []).filter((b) => b.status === "in_progress").flatMap((b) => claimProblems(b).map((p) => `${name(b.id)} (${b.assignee ? name(b.assignee) : "unassigned"}) Files: ${pattern(p.pattern)} ${p.problem}`));
      if (flagged.length) add("warn", `${flagged.length} claim pattern(s) flagged: ${firstOf(flagged, 5, (f) => f, (n) => `and ${n} more`).join("; ")}`, "narrow the pattern with bd update <id> --description, or ask its owner to (coord status lists them)");
      if (view.freshness === "fresh") add("ok", `claims snapshot fresh (${n} in progress)`);
      else if (view.freshness === "refreshed") add("ok", `claims snapshot was out of date; refreshed from bd (${n} in progress)`);
      else add("fail", `claims snapshot ${view.freshness}: ${(view.note ?? "").replace(/^coord: /, "")}`, "coord snapshot --refresh (and check bd above)");
    }

    const me = shellIdentity(ctx.env);
    if (me) add("ok", `this shell claims as ${me}`);
    else add("warn", "this shell has no identity (Claude Code sessions get claude-<session id> on their own)", "export BEADS_ACTOR=<your name> to claim from this shell");

    const color = useColor(ctx.env, process.stdout.isTTY);
    const tag = { ok: color ? "\x1b[32mok  \x1b[39m" : "ok  ", warn: color ? "\x1b[33mwarn\x1b[39m" : "warn", fail: color ? "\x1b[31mFAIL\x1b[39m" : "FAIL" };
    const lines = checks.map((c) => `${tag[c.level]} ${c.text}${c.fix && c.level !== "ok" ? `; fix: ${c.fix}` : ""}`);
    process.stdout.write(`${lines.join("\n")}\n`);
    const failed = checks.filter((c) => c.level === "fail").length;
    if (failed) {
      process.stdout.write(`${failed} check(s) failed\n`);
      process.exit(1);
    }
  },
});
