// The e2e harness: the real Claude Code CLI against a scripted Messages API on 127.0.0.1.
//
//   const repo = tempRepo();                       // test/support/world.ts
//   registerCoord(repo.dir);                       // coord hook in .claude/settings.local.json
//   const f = repo.path("src/a.ts");
//   const run = await runClaude({ cwd: repo.dir, sessionId: sessionIdFor("bbbbbbbb"),
//                                 script: [[read(f, "r1")], [write(f, "x\n", "w1")]] });
//   toolResult(run.requests, "w1")                 // what the model got back for that call
//   messagesText(run.requests[0]!)                 // everything the model saw first (SessionStart context)
export * from "./api";
export * from "./claude";
export * from "./world";
