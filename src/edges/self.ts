// How to start this very program again (the demo and the tests play hook calls through it).
export function selfCommand(): string[] {
  const main = Bun.main;
  return /\.(ts|js)$/.test(main) ? [process.execPath, main] : [process.execPath];
}
