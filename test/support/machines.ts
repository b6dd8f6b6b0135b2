// Two machines sharing claims through bd's Dolt remote: a bare git origin and two clones, each
// with a HOME of its own, in temporary folders. A's database is made by `bd init` and pushed;
// B's by `bd bootstrap` from the origin, as a second machine would.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Repo, cleanEnv, must, sh, tempDir } from "./world";

export interface Machines {
  origin: string;
  a: Repo;
  b: Repo;
}

function gitIdentity(r: Repo, name: string): void {
  r.git("config", "user.name", name);
  r.git("config", "user.email", `${name}@coord.invalid`);
  r.git("config", "commit.gpgsign", "false");
}

export function twoMachines(): Machines {
  const root = tempDir("coord-machines-");
  const origin = join(root, "origin.git");
  const env = cleanEnv(root);
  must(sh(["git", "init", "-q", "--bare", "-b", "main", origin], root, env), "git init --bare");

  const a = new Repo(join(root, "a"), join(root, "home-a"));
  mkdirSync(a.dir);
  mkdirSync(a.home);
  must(sh(["git", "init", "-q", "-b", "main"], a.dir, a.env), "git init");
  gitIdentity(a, "A");
  a.git("remote", "add", "origin", origin);
  must(sh(["bd", "init", "--prefix", "t", "--quiet", "--skip-hooks", "--skip-agents", "--non-interactive"], a.dir, a.env), "bd init");
  a.git("add", "-A");
  a.git("commit", "-qm", "init", "--allow-empty");
  // Dolt's git remote needs a branch in the origin before it can push its data there.
  a.git("push", "-q", "origin", "main");
  must(sh(["bd", "dolt", "push"], a.dir, a.env), "bd dolt push");

  const bHome = join(root, "home-b");
  mkdirSync(bHome);
  must(sh(["git", "clone", "-q", origin, join(root, "b")], root, cleanEnv(bHome)), "git clone");
  const b = new Repo(join(root, "b"), bHome);
  gitIdentity(b, "B");
  must(sh(["bd", "bootstrap", "--yes"], b.dir, b.env), "bd bootstrap");
  return { origin, a, b };
}

/** bd's version on PATH decides which settle commands apply (core/sync.ts bdGeneration). */
export function bdVersion(): string {
  return must(sh(["bd", "version"], "/", cleanEnv(tempDir("coord-home-"))), "bd version").trim();
}
