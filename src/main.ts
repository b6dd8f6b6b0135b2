#!/usr/bin/env bun
// Entry point. `coord hook` runs on every edit, so it skips the command-line framework entirely.
const argv = process.argv.slice(2);
if (argv[0] === "hook") {
  await (await import("./hook/main")).main();
} else if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
  const { VERSION, COMMIT } = await import("./version");
  process.stdout.write(`coord ${VERSION} (${COMMIT})\n`);
} else {
  await (await import("./cli/index")).main(argv);
}
export {};
