import { defineCommand } from "citty";

// Never reached through citty in practice (src/main.ts short-cuts it); here for --help.
export default defineCommand({
  meta: {
    name: "hook",
    description:
      "Run by Claude Code for every hook event: reads the event JSON on stdin, prints one decision. Register it with coord init.",
  },
  async run() {
    await (await import("../hook/main")).main();
  },
});
