// Random and malformed hook input: every run ends with exit 0, at most one JSON document on stdout,
// and no stack trace. Seeded, so a failure can be replayed.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { dispatch } from "../../src/hook/main";
import { HOSTS } from "../../src/hook/hosts";
import { COORD, SID_B, cleanEnv, cleanupAll, sh, tempRepo, type Repo } from "../support/world";

afterAll(cleanupAll);

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const EVENTS = ["PreToolUse", "PostToolUse", "SessionStart", "SessionEnd", "Stop", "", "preToolUse", 7, null];
const TOOLS = ["Write", "Edit", "MultiEdit", "NotebookEdit", "Bash", "Read", "", null, 3];
const PATHS = ["src/a.ts", "/", "", ".", "..", "../../../../etc/passwd", "a\u0000b", "ü/ñ/日本.ts", " spaced name ", "a".repeat(5000), "/proc/self/fd/0", "~/x", "src/api/", "\\windows\\path"];

function randomValue(r: () => number, depth = 0): unknown {
  const k = Math.floor(r() * (depth > 2 ? 5 : 8));
  switch (k) {
    case 0: return null;
    case 1: return r() < 0.5;
    case 2: return Math.floor(r() * 1e6) - 5e5;
    case 3: return PATHS[Math.floor(r() * PATHS.length)];
    case 4: return String.fromCharCode(...Array.from({ length: Math.floor(r() * 20) }, () => Math.floor(r() * 0xffff)));
    case 5: return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < Math.floor(r() * 4); i++) o[String(randomValue(r, 3))] = randomValue(r, depth + 1);
      return o;
    }
  }
}

function randomEvent(r: () => number, dir: string): string {
  const ev: Record<string, unknown> = {
    session_id: r() < 0.8 ? SID_B : randomValue(r),
    hook_event_name: EVENTS[Math.floor(r() * EVENTS.length)],
    cwd: r() < 0.7 ? dir : randomValue(r),
    tool_name: TOOLS[Math.floor(r() * TOOLS.length)],
    tool_input: r() < 0.8 ? { file_path: randomValue(r), notebook_path: randomValue(r), command: randomValue(r) } : randomValue(r),
    extra: randomValue(r),
  };
  const text = JSON.stringify(ev);
  // Sometimes damage the text itself.
  const cut = r();
  if (cut < 0.15) return text.slice(0, Math.floor(r() * text.length));
  if (cut < 0.2) return text.replace(/[{}]/g, "");
  return text;
}

describe("fuzzed hook input", () => {
  let repo!: Repo;
  beforeAll(() => {
    repo = tempRepo();
    repo.claim(repo.bead("Routes", "Files: src/api/"), "claude-aaaaaaaa");
  });

  test("in process: 600 random events never throw and give a defined result", async () => {
    const r = rng(20261125);
    const w = { env: { ...repo.env }, now: Date.now, sleep: (ms: number) => Bun.sleep(ms), cwd: repo.dir };
    for (let i = 0; i < 600; i++) {
      const input = randomEvent(r, repo.dir);
      const { event, outcome } = await dispatch(input, w, HOSTS.claude);
      const out = HOSTS.claude.encode(outcome, event?.kind ?? "other", event?.name ?? "");
      expect(out.exitCode).toBe(0);
      if (out.stdout) expect(() => JSON.parse(out.stdout)).not.toThrow();
      // Every refusal carries its card; nothing else refuses.
      if (outcome.verdict === "deny") expect(outcome.reason).toStartWith("coord: refused");
      expect(out.stderr.length).toBeLessThanOrEqual(4);
    }
  });

  test("through the binary: 40 random events exit 0 without a stack trace", () => {
    const r = rng(42);
    for (let i = 0; i < 40; i++) {
      const res = sh([COORD, "hook"], repo.dir, cleanEnv(repo.home, repo.env), randomEvent(r, repo.dir));
      expect(res.code).toBe(0);
      expect(res.stderr).not.toMatch(/\n\s+at /);
      if (res.stdout.trim()) expect(() => JSON.parse(res.stdout)).not.toThrow();
    }
  });
});
