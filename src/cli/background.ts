// `coord snapshot --background <token> [--all]`: the refresher a check starts detached when the
// claims are out of date. Not a citty command: it starts as fast as a hook (src/main.ts).
import { refreshInBackground } from "../edges/snapshot";

export function backgroundMain(argv: readonly string[]): Promise<void> {
  return refreshInBackground(process.cwd(), process.env as Record<string, string | undefined>, argv[0] ?? "", argv.includes("--all"));
}
