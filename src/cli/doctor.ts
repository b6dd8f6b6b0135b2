// `coord doctor`: one line per check, with the fix when it fails.
import { defineCommand } from "citty";
import { claimProblems } from "../core/claims";
import { patternProblem } from "../core/match";
import { firstOf, name, pattern } from "../core/text";
import { remoteDoctor } from "../core/sync";
import { CONFIG_FILE } from "../core/zones";
import { BD_BEYOND, BD_INSTALLED, BD_MIN, BD_VERSIONS, bdSupport, migratesFrom } from "../core/bdversions";
import type { BeadsLocation } from "../edges/bd";
import { bdSource, bdVersionOf, lastUsedVersion, pendingMigration } from "../edges/bdinfo";
import { doltRemote, probeRemote, readSyncRecord } from "../edges/dolt-sync";
import { inspectHosts } from "../edges/hosts";
import { realpathLoose } from "../edges/repo";
import { selfCommand } from "../edges/self";
import { type RepoContext, claimsOf, repoContext, shellIdentity } from "./context";
import { SETTINGS_LOCAL, SETTINGS_SHARED, deadZoneWarnings, inspectHooks, inspectSections, neighbourLines, programExists } from "./init";
import { useColor } from "./status";

type Level = "ok" | "warn" | "fail";

interface Check {
  level: Level;
  text: string;
  fix?: string;
}

type Add = (level: Level, text: string, fix?: string) => void;

/** How long doctor waits for the Dolt remote: an unreachable one is a warning, never a hang. */
const REMOTE_PROBE_MS = 3000;

const TESTED = BD_VERSIONS.map((r) => r.version).join(" and ");
const INSTALL = `scripts/setup (installs bd ${BD_INSTALLED}), or see the README's install section`;

/** Which bd coord runs, where it was found, whether its version is supported, and whether PATH has another. */
async function checkBd(ctx: RepoContext, add: Add): Promise<string | null> {
  const { bin, found } = bdSource(ctx.env);
  const where = bin.includes("/") ? bin : null;
  if (!where) {
    add("fail", `bd not found (COORD_BD unset, no bd on PATH, none in $GOPATH/bin or ~/go/bin)`, `install bd: ${INSTALL}`);
    return null;
  }
  // Asked afresh (no cache): doctor is where a replaced binary should show.
  const version = await bdVersionOf(bin, ctx.env, null, ctx.repo.root);
  if (!version) {
    add("fail", `bd at ${where} (from ${found}) does not answer bd version`, `reinstall bd: ${INSTALL}`);
    return null;
  }
  const support = bdSupport(version);
  const head = `coord runs bd ${version} at ${where} (from ${found})`;
  if (support === "tested") add("ok", head);
  else if (support === "in-range") add("warn", `${head}: inside the supported range but untested (tested: ${TESTED})`, `install bd ${BD_INSTALLED}: ${INSTALL}`);
  else if (support === "too-old") add("fail", `${head}: older than the oldest supported bd ${BD_MIN}`, `install bd ${BD_INSTALLED}: ${INSTALL}`);
  else add("warn", `${head}: newer than the supported range (below ${BD_BEYOND}); its JSON or schema may have changed`, `use bd ${BD_INSTALLED} (${INSTALL}) or check coord's release notes`);

  // Sessions run bd from their PATH (bd update --claim in the Bash tool); the hooks run coord's.
  const onPath = Bun.which("bd", { PATH: ctx.env.PATH ?? "" });
  if (onPath && realpathLoose(onPath) !== realpathLoose(bin)) {
    const other = await bdVersionOf(onPath, ctx.env, null, ctx.repo.root);
    if (other !== version) {
      const newer = other && migratesFrom(other, version);
      add(
        "warn",
        `the bd on PATH (${onPath}, ${other ? `bd ${other}` : "unknown version"}) is not coord's (${where}, bd ${version})${newer ? `: the first command it runs here migrates the database, after which bd ${version} can no longer write it` : ": sessions claim with one, the hooks read with the other"}`,
        `use one bd: set COORD_BD=${onPath} for coord, or put ${where} first on PATH`,
      );
    }
  }
  return version;
}

/** The database against coord's bd: migrated by a newer bd (writes fail), or about to be migrated. */
function checkDatabaseVersion(loc: BeadsLocation, runner: string | null, add: Add): void {
  const last = lastUsedVersion(loc);
  if (!last || !runner) return;
  if (migratesFrom(last, runner))
    add(
      "fail",
      `the beads database has been opened by bd ${last}, which migrated it to a schema coord's bd ${runner} can read but not write: claims and every other write fail (Error 1105)`,
      `run bd ${last} for coord too: ${INSTALL}, or COORD_BD=<path to bd ${last}>`,
    );
}

export default defineCommand({
  meta: { name: "doctor", description: "Check bd, the beads database, the hooks, coord.toml, the sections, the snapshot, the Dolt remote and your identity" },
  async run() {
    const ctx = repoContext();
    const checks: Check[] = [];
    const add = (level: Level, text: string, fix?: string) => checks.push(fix ? { level, text, fix } : { level, text });

    const bdVersion = await checkBd(ctx, add);

    if (ctx.loc) {
      add("ok", `beads database at ${ctx.loc.dir}`);
      checkDatabaseVersion(ctx.loc, bdVersion, add);
    } else add("fail", "no beads database for this repository", "bd init");

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
      // doctor runs a pending migration itself (claimsOf waits for it), so no hook meets it.
      const migration = await pendingMigration(ctx.loc, ctx.env, ctx.state, ctx.repo.root);
      const t0 = Date.now();
      const view = await claimsOf(ctx);
      if (migration && view.freshness === "refreshed") add("ok", `bd ${migration.to} migrated the database from bd ${migration.from}'s format (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      const n = view.snapshot?.beads.filter((b) => b.status === "in_progress").length ?? 0;
      const flagged = (view.snapshot?.beads ?? []).filter((b) => b.status === "in_progress").flatMap((b) => claimProblems(b).map((p) => `${name(b.id)} (${b.assignee ? name(b.assignee) : "unassigned"}) Files: ${pattern(p.pattern)} ${p.problem}`));
      if (flagged.length) add("warn", `${flagged.length} claim pattern(s) flagged: ${firstOf(flagged, 5, (f) => f, (n) => `and ${n} more`).join("; ")}`, "narrow the pattern with bd update <id> --description, or ask its owner to (coord status lists them)");
      if (view.freshness === "fresh") add("ok", `claims snapshot fresh (${n} in progress)`);
      else if (view.freshness === "refreshed") add("ok", `claims snapshot was out of date; refreshed from bd (${n} in progress)`);
      else add("fail", `claims snapshot ${view.freshness}: ${(view.note ?? "").replace(/^coord: /, "")}`, "coord snapshot --refresh (and check bd above)");

      // Other machines: the remote, whether it answers within a short budget, the last sync's record.
      const remote = doltRemote(ctx.loc);
      const probe = remote.configured ? await probeRemote(remote.url, ctx.repo.root, ctx.env, REMOTE_PROBE_MS) : null;
      const claims = view.snapshot ? view.snapshot.beads.filter((b) => b.status === "in_progress") : null;
      for (const l of remoteDoctor({ remote, rec: readSyncRecord(ctx.state), probe, claims, budgetMs: REMOTE_PROBE_MS, now: Date.now() })) add(l.level, l.text, l.fix);
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
