// Architecture lint: the rules of CLAUDE.md that a type checker cannot see.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = join(import.meta.dir, "..");
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });

interface Rule {
  where: RegExp;
  bad: RegExp;
  why: string;
}

const rules: Rule[] = [
  { where: /^src\/core\//, bad: /from "\.\.\/(edges|hook|cli|wt)\//, why: "core/ is pure: it imports nothing from edges/, hook/, cli/ or wt/" },
  { where: /^src\/core\//, bad: /from "node:(fs|child_process|os|net|http)"|Bun\.(spawn|file|write)|process\.env|Date\.now\(\)/, why: "core/ does no I/O and reads no clock: pass values in" },
  { where: /^src\//, bad: /shell:\s*true|Bun\.\$|from "node:child_process"/, why: "shell out only through edges/proc.ts (argument array + timeout)" },
  { where: /^src\/hook\//, bad: /console\.(log|info)/, why: "a hook's stdout is the protocol: print through emit() only" },
  { where: /^src\//, bad: /permissionDecision:\s*"allow"/, why: "never return allow: it skips the user's own permission rules" },
];

let bad = 0;
for (const f of files(join(root, "src"))) {
  const rel = relative(root, f);
  const lines = readFileSync(f, "utf8").split("\n");
  for (const rule of rules) {
    if (!rule.where.test(rel)) continue;
    lines.forEach((line, i) => {
      if (rule.bad.test(line) && !line.trim().startsWith("//")) {
        bad++;
        console.error(`${rel}:${i + 1}: ${rule.why}\n    ${line.trim()}`);
      }
    });
  }
}
if (bad) {
  console.error(`lint: ${bad} problem(s)`);
  process.exit(1);
}
console.log("lint: ok");
