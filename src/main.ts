#!/usr/bin/env bun
// Entry point. `coord hook` runs on every edit, so it skips the command-line framework entirely.
// No top-level await: the binary is compiled to bytecode, which needs a CommonJS-shaped entry.
async function start(argv: string[]): Promise<void> {
  if (argv[0] === "hook" && !argv.includes("--help") && !argv.includes("-h")) return (await import("./hook/main")).main(argv.slice(1));
  // The detached refresher a check starts when the claims are out of date (edges/snapshot.ts).
  if (argv[0] === "snapshot" && argv[1] === "--background") return (await import("./cli/background")).backgroundMain(argv.slice(2));
  if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
    const { VERSION, COMMIT } = await import("./version");
    process.stdout.write(`coord ${VERSION} (${COMMIT})\n`);
    return;
  }
  return (await import("./cli/index")).main(argv);
}

void start(process.argv.slice(2));
