// Four agent hosts on one repository, each the real CLI from npm (pinned, cached by scripts/hosts)
// against its own scripted model server on 127.0.0.1: a Claude Code session claims and edits;
// a Codex, a Gemini CLI and an OpenCode session are each refused on its files (the file unchanged,
// the model handed the card) and write their own; a Claude Code session is refused on a file
// a Codex session claimed through bd with --actor, as its banner told it to.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { ME_A, ME_B, cleanupAll, tempRepo } from "../support/world";
import { allowTools, announceSkip, bash, describeRun, haveClaude, read, registerCoord, runClaude, sessionIdFor, toolResult, write } from "./support";
import { hostToolResult } from "./support/hostapis";
import { announceHostSkips, describeHostRun, haveHost, hostHome, initHost, runCodex, runGemini, runOpencode } from "./support/hosts";

announceSkip("hosts.e2e.test.ts");
announceHostSkips("hosts.e2e.test.ts");
afterAll(cleanupAll);

const T = 240_000;
const ROUTES = "export const routes = [];\n";

/** A repository with two beads: src/api/ (for the Claude Code session) and docs/ (for the other host). */
function world() {
  const repo = tempRepo();
  const api = repo.bead("Add API routes", "Files: src/api/");
  const docs = repo.bead("Write the host docs", "Files: docs/");
  repo.write("src/api/routes.ts", ROUTES);
  repo.git("add", "-A");
  repo.git("commit", "-qm", "start");
  return { repo, api, docs };
}

/** That repository with coord registered for `host`, and the host's own HOME. */
function hostWorld(host: Parameters<typeof initHost>[0]) {
  const w = world();
  const home = hostHome(host);
  const init = initHost(host, w.repo.dir, home);
  expect(init.code, init.out).toBe(0);
  return { ...w, home };
}

describe.skipIf(!haveClaude || !haveHost("codex"))("Claude Code and Codex", () => {
  test(
    "Codex is refused on Claude Code's claimed, edited file and writes its own; Claude Code is refused on the file Codex claimed",
    async () => {
      const { repo, api, docs } = world();
      registerCoord(repo.dir);
      allowTools(repo.dir, ["Bash(bd update:*)"]);
      const routes = repo.path("src/api/routes.ts");

      // 1. Claude Code claims src/api/ through bd and edits a file in it.
      const a = await runClaude({
        cwd: repo.dir,
        sessionId: sessionIdFor("aaaaaaaa"),
        script: [[bash(`bd update ${api} --claim`, "b1")], [read(routes, "r1")], [write(routes, "export const routes = ['/users'];\n", "w1")]],
      });
      expect(a.code, describeRun(a)).toBe(0);
      expect(readFileSync(routes, "utf8")).toBe("export const routes = ['/users'];\n");

      // 2. Codex, registered and trusted by coord init, learns who it is from its banner, claims docs/ with --actor.
      const home = hostHome("codex");
      const init = initHost("codex", repo.dir, home);
      expect(init.code, init.out).toBe(0);
      let me = "";
      const c = await runCodex({
        cwd: repo.dir,
        home,
        script: [
          (body) => {
            me = /you are (codex-[A-Za-z0-9_-]{8})/.exec(JSON.stringify(body))?.[1] ?? "codex-unknown";
            return [{ tool: "exec_command", input: { cmd: `bd update ${docs} --claim --actor ${me}`, login: false }, id: "claim" }];
          },
          [{ tool: "apply_patch", input: { patch: "*** Begin Patch\n*** Update File: src/api/routes.ts\n@@\n-export const routes = ['/users'];\n+hijacked\n*** End Patch\n" }, id: "p1" }],
          [{ tool: "apply_patch", input: { patch: "*** Begin Patch\n*** Add File: docs/codex.md\n+# Codex\n*** End Patch\n" }, id: "p2" }],
        ],
      });
      expect(c.code, describeHostRun(c)).toBe(0);
      expect(me).toMatch(/^codex-[A-Za-z0-9_-]{8}$/);
      const threadId = /"thread_id":"([^"]+)"/.exec(c.stdout)?.[1] ?? "";
      expect(me).toBe(`codex-${threadId.slice(-8)}`);

      expect(readFileSync(routes, "utf8")).toBe("export const routes = ['/users'];\n");
      const refused = hostToolResult("responses", c.bodies, "p1") ?? "";
      expect(refused).toContain("coord: refused apply_patch of src/api/routes.ts");
      expect(refused).toContain(api);
      expect(refused).toContain(`whose: ${ME_A} (you are ${me})`);
      expect(readFileSync(repo.path("docs/codex.md"), "utf8")).toBe("# Codex\n");
      expect(hostToolResult("responses", c.bodies, "p2") ?? "").not.toContain("coord: refused");
      expect(JSON.parse(repo.bd(["show", docs, "--json"]))[0].assignee, hostToolResult("responses", c.bodies, "claim") ?? "").toBe(me);

      // 3. The other way round: a second Claude Code session is refused on Codex's file.
      const b = await runClaude({ cwd: repo.dir, sessionId: sessionIdFor("bbbbbbbb"), script: [[read(repo.path("docs/codex.md"), "r2")], [write(repo.path("docs/codex.md"), "overwritten\n", "w2")]] });
      expect(b.code, describeRun(b)).toBe(0);
      expect(readFileSync(repo.path("docs/codex.md"), "utf8")).toBe("# Codex\n");
      const back = toolResult(b.requests, "w2");
      expect(back?.text).toContain("coord: refused Write of docs/codex.md");
      expect(back?.text).toContain(`whose: ${me} (you are ${ME_B})`);
    },
    T,
  );
});

/** The hosts that learn their identity from BEADS_ACTOR here; each is refused the same way, in its own words. */
const OTHERS = [
  { host: "gemini" as const, run: runGemini, wire: "gemini" as const, tool: "write_file", args: (f: string, c: string) => ({ file_path: f, content: c }), blocked: "Tool execution blocked: " },
  { host: "opencode" as const, run: runOpencode, wire: "chat" as const, tool: "write", args: (f: string, c: string) => ({ filePath: f, content: c }), blocked: "" },
];

for (const h of OTHERS) {
  describe.skipIf(!haveHost(h.host))(h.host, () => {
    test(
      "is refused on a file a Claude Code session claimed (relative path, file unchanged, the card in its tool result) and writes its own",
      async () => {
        const { repo, api, docs, home } = hostWorld(h.host);
        const me = `${h.host}-writer`;
        repo.claim(api, ME_A);
        repo.claim(docs, me);
        const r = await h.run({
          cwd: repo.dir,
          home,
          env: { BEADS_ACTOR: me },
          script: [[{ tool: h.tool, input: h.args("src/api/routes.ts", "hijacked\n"), id: "t1" }], [{ tool: h.tool, input: h.args(`docs/${h.host}.md`, "# mine\n"), id: "t2" }]],
        });
        expect(r.code, describeHostRun(r)).toBe(0);
        expect(readFileSync(repo.path("src/api/routes.ts"), "utf8")).toBe(ROUTES);
        const refused = hostToolResult(h.wire, r.bodies, "t1") ?? "";
        expect(refused).toContain(`${h.blocked}coord: refused ${h.tool} of src/api/routes.ts`);
        expect(refused).toContain(api);
        expect(refused).toContain(`whose: ${ME_A} (you are ${me})`);
        expect(existsSync(repo.path(`docs/${h.host}.md`))).toBe(true);
        expect(readFileSync(repo.path(`docs/${h.host}.md`), "utf8")).toBe("# mine\n");
        // The banner, from the host's session start, reached the model in its first request.
        expect(JSON.stringify(r.bodies[0])).toContain(`coord: you are ${me}`);
      },
      T,
    );
  });
}

describe.skipIf(!haveHost("opencode"))("an OpenCode session without BEADS_ACTOR", () => {
  test(
    "claims through bd in its bash tool with no --actor (the plugin exports its identity) and then writes the claimed file",
    async () => {
      const { repo, docs, home } = hostWorld("opencode");
      const o = await runOpencode({
        cwd: repo.dir,
        home,
        script: [[{ tool: "bash", input: { command: `bd update ${docs} --claim`, description: "claim" }, id: "b1" }], [{ tool: "write", input: { filePath: "docs/mine.md", content: "# mine\n" }, id: "o1" }]],
      });
      expect(o.code, describeHostRun(o)).toBe(0);
      const sid = /"sessionID":"(ses_[A-Za-z0-9]+)"/.exec(o.stdout)?.[1] ?? "";
      const me = `opencode-${sid.slice(-8)}`;
      expect(JSON.parse(repo.bd(["show", docs, "--json"]))[0].assignee, hostToolResult("chat", o.bodies, "b1") ?? "").toBe(me);
      expect(readFileSync(repo.path("docs/mine.md"), "utf8")).toBe("# mine\n");
      expect(JSON.stringify(o.bodies[0])).toContain(`coord: you are ${me}`);
    },
    T,
  );
});

describe.skipIf(!haveHost("gemini"))("a Gemini CLI session allowed with a note", () => {
  test(
    "gets the note from the next tool result, since Gemini shows an allowed BeforeTool's lines to the person only",
    async () => {
      const { repo, docs, home } = hostWorld("gemini");
      repo.bd(["update", docs, "--status", "in_progress"]);
      const r = await runGemini({
        cwd: repo.dir,
        home,
        env: { BEADS_ACTOR: "gemini-writer" },
        script: [[{ tool: "write_file", input: { file_path: "docs/guide.md", content: "# guide\n" }, id: "g1" }], [{ text: "done" }]],
      });
      expect(r.code, describeHostRun(r)).toBe(0);
      expect(readFileSync(repo.path("docs/guide.md"), "utf8")).toBe("# guide\n");
      // The request after the write carries the note, in what the model reads.
      const later = JSON.stringify(r.bodies.slice(1));
      expect(later).toContain(`docs/guide.md is named by in-progress ${docs}`);
      expect(later).toContain("with no assignee");
    },
    T,
  );
});
