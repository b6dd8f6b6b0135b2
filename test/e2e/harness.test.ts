// The scripted Messages API on its own (no Claude Code): turns served in order, side calls left
// out of the script, both the SSE stream and the plain JSON reply well formed.
import { afterEach, describe, expect, test } from "bun:test";
import { type ScriptedApi, bash, say, startApi, toolResult, write } from "./support";

let api: ScriptedApi | null = null;
afterEach(() => api?.stop());

const post = (a: ScriptedApi, body: Record<string, unknown>) =>
  fetch(`${a.url}/v1/messages?beta=true`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

const turnRequest = (stream: boolean) => ({ model: "m", stream, tools: [{ name: "Write" }], messages: [{ role: "user", content: "go" }] });

/** The SSE events of a body, as [event name, parsed data]. */
function events(text: string): [string, Record<string, unknown>][] {
  return text
    .trim()
    .split("\n\n")
    .map((chunk) => {
      const [ev, data] = chunk.split("\n");
      return [ev?.replace("event: ", "") ?? "", JSON.parse(data?.replace("data: ", "") ?? "{}")];
    });
}

describe("the scripted API", () => {
  test("streams a turn's tool calls as tool_use blocks and stops for tool_use", async () => {
    api = startApi([[write("/tmp/x", "hi\n", "w1"), bash("ls")]]);
    const res = await post(api, turnRequest(true));
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const evs = events(await res.text());
    expect(evs.map(([e]) => e)).toEqual([
      "message_start",
      ...["content_block_start", "content_block_delta", "content_block_stop"],
      ...["content_block_start", "content_block_delta", "content_block_stop"],
      "message_delta",
      "message_stop",
    ]);
    expect(evs[1]?.[1]).toMatchObject({ index: 0, content_block: { type: "tool_use", id: "w1", name: "Write" } });
    expect(JSON.parse(String((evs[2]?.[1].delta as { partial_json: string }).partial_json))).toEqual({ file_path: "/tmp/x", content: "hi\n" });
    expect(evs[4]?.[1]).toMatchObject({ index: 1, content_block: { type: "tool_use", id: "toolu_e2e_0_1", name: "Bash" } });
    expect(evs[7]?.[1]).toMatchObject({ delta: { stop_reason: "tool_use" } });
  });

  test("serves turns in order, then the final text, and answers side calls without using a turn", async () => {
    api = startApi([[say("one")], (req) => [say(`two after ${req.messages.length} messages`)]], { finalText: "bye" });
    const side = (await (await post(api, { model: "haiku", messages: [{ role: "user", content: "title?" }] })).json()) as { content: unknown };
    expect(side.content).toEqual([{ type: "text", text: "ok" }]);
    const texts: string[] = [];
    for (let i = 0; i < 3; i++) {
      const msg = (await (await post(api, turnRequest(false))).json()) as { content: { text: string }[]; stop_reason: string };
      expect(msg.stop_reason).toBe("end_turn");
      texts.push(msg.content[0]?.text ?? "");
    }
    expect(texts).toEqual(["one", "two after 1 messages", "bye"]);
    expect(api.turnsServed()).toBe(3);
    expect(api.modelRequests()).toHaveLength(3);
    expect(api.requests).toHaveLength(4);
    const counted = (await (await fetch(`${api.url}/v1/messages/count_tokens`, { method: "POST", body: "{}" })).json()) as { input_tokens: number };
    expect(counted.input_tokens).toBe(1);
  });
});

describe("toolResult", () => {
  test("finds a tool's result and the reminders after it, in the latest request carrying it", () => {
    const reqs = [
      {
        model: "m",
        messages: [
          { role: "assistant", content: [{ type: "tool_use", id: "w1", name: "Write", input: {} }] },
          {
            role: "user",
            content: [
              { type: "tool_result", tool_use_id: "w1", is_error: true, content: [{ type: "text", text: "coord: refused" }] },
              { type: "text", text: "<system-reminder>x</system-reminder>" },
            ],
          },
        ],
      },
    ];
    expect(toolResult(reqs, "w1")).toEqual({ toolUseId: "w1", text: "coord: refused", prefix: "", isError: true, siblings: ["<system-reminder>x</system-reminder>"] });
    expect(toolResult(reqs, "w2")).toBeNull();
  });
});
