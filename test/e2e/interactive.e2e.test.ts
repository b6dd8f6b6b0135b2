// An interactive Claude Code session, driven through tmux as a person would use it: the banner is
// shown to the person, and an edit in a `stable` zone is put to them as a question even under
// acceptEdits, while an ordinary edit goes through without one.
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cleanupAll, tempDir, tempRepo } from "../support/world";
import { CLAUDE_BIN, announceSkip, claudeAtLeast, claudeEnv, edit, haveClaude, read, registerCoord, startApi } from "./support";

announceSkip("interactive.e2e.test.ts");
const haveTmux = Bun.which("tmux") !== null;
if (!haveTmux) console.warn("interactive.e2e.test.ts: SKIPPED: tmux is not installed");
const session = `coord-e2e-${process.pid}`;
afterAll(() => {
  Bun.spawnSync(["tmux", "kill-session", "-t", session]);
  cleanupAll();
});

const KEY = "sk-ant-api03-coord-interactive-e2e-0123456789";
const screen = () => Bun.spawnSync(["tmux", "capture-pane", "-t", session, "-p"]).stdout.toString();
const keys = (...k: string[]) => Bun.spawnSync(["tmux", "send-keys", "-t", session, ...k]);

async function waitFor(what: RegExp, ms = 60_000): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const s = screen();
    if (what.test(s)) return s;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} on screen:\n${s}`);
    await Bun.sleep(200);
  }
}

/** Presses `key` until `what` shows: on a busy machine a key sent as a dialog draws can be lost. */
async function pressUntil(key: string, what: RegExp, tries = 5): Promise<string> {
  for (let i = 1; ; i++) {
    keys(key);
    try {
      return await waitFor(what, 12_000);
    } catch (e) {
      if (i >= tries) throw e;
    }
  }
}

describe.skipIf(!haveClaude || !haveTmux)("an interactive session", () => {
  test(
    "shows the banner, asks the person about a stable file, and lets an ordinary edit through",
    async () => {
      const repo = tempRepo();
      repo.write("coord.toml", '[[zone]]\nname = "entry"\nkind = "stable"\npaths = ["src/main.ts"]\nnote = "the entry point"\n');
      repo.write("src/main.ts", "const stable = 1;\n");
      repo.write("src/util.ts", "const util = 1;\n");
      registerCoord(repo.dir);
      const main = repo.path("src/main.ts");
      const util = repo.path("src/util.ts");
      const api = startApi([[read(main, "r1")], [edit(main, "stable", "STABLE", "e1")], [read(util, "r2")], [edit(util, "util", "UTIL", "e2")]]);
      // A person who has finished onboarding, trusts this folder and approved this API key.
      const home = tempDir("coord-e2e-home-");
      writeFileSync(
        join(home, ".claude.json"),
        JSON.stringify({ hasCompletedOnboarding: true, theme: "dark", customApiKeyResponses: { approved: [KEY.slice(-20)], rejected: [] }, projects: { [repo.dir]: { hasTrustDialogAccepted: true } } }),
      );
      const env = claudeEnv(home, api.url, { ANTHROPIC_API_KEY: KEY });
      const launcher = join(home, "launch.sh");
      const q = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
      writeFileSync(launcher, `${Object.entries(env).map(([k, v]) => `export ${k}=${q(v)}`).join("\n")}\ncd ${q(repo.dir)} && exec ${q(CLAUDE_BIN)} --permission-mode acceptEdits\n`);
      try {
        Bun.spawnSync(["tmux", "new-session", "-d", "-s", session, "-x", "160", "-y", "80", `sh ${q(launcher)}`]);
        const start = await waitFor(/SessionStart:startup says: coord: you are claude-/);
        expect(start).toContain("free zones: entry (stable)");
        await waitFor(/accept edits on|❯/);
        keys("go", "Enter");
        await waitFor(/Do you want to make this edit to main\.ts\?/);
        // No (2.1.332 offers Yes / No; 2.1.197 Yes / Yes, don't ask again / No): Claude Code then
        // waits for the person, who asks it to go on.
        await pressUntil(claudeAtLeast("2.1.332") ? "2" : "3", /(User r|R)ejected update to src\/main\.ts/); // 2.1.332 dropped "User "
        keys("go on", "Enter");
        await waitFor(/Update\(src\/util\.ts\)/);
        await waitFor(/done/);
        expect(readFileSync(main, "utf8")).toBe("const stable = 1;\n");
        expect(readFileSync(util, "utf8")).toBe("const UTIL = 1;\n");
        expect(screen()).not.toMatch(/Do you want to make this edit to util\.ts\?/);
      } finally {
        api.stop();
      }
    },
    180_000,
  );
});
