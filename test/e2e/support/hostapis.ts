// Scripted model servers on 127.0.0.1 for the other agent CLIs, beside api.ts (Claude Code's
// Messages API): the OpenAI Responses API over SSE (Codex), Gemini's streamGenerateContent over
// SSE (Gemini CLI) and OpenAI chat completions over SSE (OpenCode). Each answers every request
// that offers tools with the next turn of its script (tool calls, or text), answers side requests
// (titles) with a short text, and logs every request body, so a test reads what the model received.
import { jsonBody } from "./api";

/** One scripted tool call (`input` is the tool's arguments; Codex's apply_patch takes `{ patch }`) or a text. */
export type HostStep = { tool: string; input: Record<string, unknown>; id: string } | { text: string };
export type HostTurn = HostStep[];
/** A turn, or one built from the request that asks for it (to act on what the model was shown). */
export type HostScriptTurn = HostTurn | ((body: Record<string, unknown>, turnIndex: number) => HostTurn);

export interface HostApi {
  readonly url: string;
  /** Every request body, parsed (null when not JSON), with its path. */
  readonly requests: { path: string; body: Record<string, unknown> | null }[];
  /** The bodies answered from the script, in order. */
  scripted(): Record<string, unknown>[];
  turnsServed(): number;
  stop(): void;
}

export type Wire = "responses" | "gemini" | "chat";

const sse = (data: unknown, event?: string) => `${event ? `event: ${event}\n` : ""}data: ${JSON.stringify(data)}\n\n`;

function responsesStream(n: number, turn: HostTurn): string {
  const id = `resp_${n}`;
  let out = sse({ type: "response.created", response: { id } }, "response.created");
  turn.forEach((s, i) => {
    let item: Record<string, unknown>;
    if ("text" in s) item = { type: "message", role: "assistant", id: `msg_${n}_${i}`, content: [{ type: "output_text", text: s.text }] };
    // apply_patch is a freeform ("custom") tool for Codex's GPT-5 models; the rest are functions.
    else if (s.tool === "apply_patch") item = { type: "custom_tool_call", id: `ctc_${s.id}`, call_id: s.id, name: "apply_patch", input: String(s.input.patch ?? "") };
    else item = { type: "function_call", id: `fc_${s.id}`, call_id: s.id, name: s.tool, arguments: JSON.stringify(s.input) };
    out += sse({ type: "response.output_item.done", output_index: i, item }, "response.output_item.done");
  });
  const usage = { input_tokens: 1, input_tokens_details: null, output_tokens: 1, output_tokens_details: null, total_tokens: 2 };
  return out + sse({ type: "response.completed", response: { id, usage } }, "response.completed");
}

function geminiStream(turn: HostTurn): string {
  const parts = turn.map((s) => ("text" in s ? { text: s.text } : { functionCall: { id: s.id, name: s.tool, args: s.input } }));
  return sse({
    candidates: [{ content: { role: "model", parts }, finishReason: "STOP", index: 0 }],
    usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 },
    modelVersion: "gemini-2.5-flash",
  });
}

function chatStream(n: number, model: string, turn: HostTurn): string {
  const chunk = (delta: unknown, finish: string | null) => sse({ id: `chat_${n}`, object: "chat.completion.chunk", created: 1, model, choices: [{ index: 0, delta, finish_reason: finish }] });
  const calls = turn.filter((s) => "tool" in s);
  const text = turn.filter((s) => "text" in s).map((s) => (s as { text: string }).text).join("\n");
  let out = "";
  if (text) out += chunk({ role: "assistant", content: text }, null);
  if (calls.length)
    out += chunk({ role: "assistant", tool_calls: calls.map((s, index) => ({ index, id: s.id, type: "function", function: { name: s.tool, arguments: JSON.stringify(s.input) } })) }, null);
  out += chunk({}, calls.length ? "tool_calls" : "stop");
  out += sse({ id: `chat_${n}`, object: "chat.completion.chunk", created: 1, model, choices: [], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
  return `${out}data: [DONE]\n\n`;
}

/** Does this request offer tools (a main-loop turn), as opposed to a side request (a title)? */
function offersTools(wire: Wire, body: Record<string, unknown>): boolean {
  const tools = body.tools as unknown[] | undefined;
  if (!Array.isArray(tools) || !tools.length) return false;
  if (wire === "gemini") return tools.some((t) => Array.isArray((t as { functionDeclarations?: unknown[] }).functionDeclarations));
  return true;
}

/** Starts a scripted server for `wire` on a free port of 127.0.0.1. */
export function startHostApi(wire: Wire, script: HostScriptTurn[], finalText = "done"): HostApi {
  const requests: { path: string; body: Record<string, unknown> | null }[] = [];
  const scripted: Record<string, unknown>[] = [];
  let turn = 0;
  let n = 0;
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const url = new URL(req.url);
      const body = await jsonBody<Record<string, unknown>>(req);
      requests.push({ path: url.pathname + url.search, body });
      n++;
      const stream = (text: string) => new Response(text, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
      const main = body !== null && offersTools(wire, body);
      let t: HostTurn = [{ text: "ok" }];
      if (main) {
        scripted.push(body as Record<string, unknown>);
        const next = script[turn];
        t = next === undefined ? [{ text: finalText }] : typeof next === "function" ? next(body as Record<string, unknown>, turn) : next;
        turn++;
      }
      if (wire === "responses" && url.pathname.endsWith("/responses")) return stream(responsesStream(n, t));
      if (wire === "gemini" && url.pathname.includes(":streamGenerateContent")) return stream(geminiStream(t));
      if (wire === "gemini" && url.pathname.includes(":countTokens")) return Response.json({ totalTokens: 1 });
      if (wire === "chat" && url.pathname.endsWith("/chat/completions")) return stream(chatStream(n, String(body?.model ?? "m"), t));
      return Response.json({});
    },
  });
  let stopped = false;
  return {
    url: `http://127.0.0.1:${server.port}`,
    requests,
    scripted: () => scripted,
    turnsServed: () => turn,
    stop() {
      if (stopped) return;
      stopped = true;
      server.stop(true);
    },
  };
}

/**
 * What the model received back for tool call `id`, found in the latest scripted request that
 * carries it, or null: Codex's function/custom_tool_call_output, Gemini's functionResponse,
 * OpenCode's role "tool" message.
 */
export function hostToolResult(wire: Wire, bodies: readonly Record<string, unknown>[], id: string): string | null {
  for (let i = bodies.length - 1; i >= 0; i--) {
    const b = bodies[i] as Record<string, unknown>;
    if (wire === "responses") {
      for (const it of (b.input as Record<string, unknown>[] | undefined) ?? [])
        if ((it.type === "function_call_output" || it.type === "custom_tool_call_output") && it.call_id === id) return typeof it.output === "string" ? it.output : JSON.stringify(it.output);
    } else if (wire === "gemini") {
      for (const c of (b.contents as { parts?: Record<string, unknown>[] }[] | undefined) ?? [])
        for (const p of c.parts ?? []) {
          const fr = p.functionResponse as { id?: string; response?: unknown } | undefined;
          if (fr && fr.id === id) return JSON.stringify(fr.response);
        }
    } else {
      for (const m of (b.messages as Record<string, unknown>[] | undefined) ?? [])
        if (m.role === "tool" && m.tool_call_id === id) return typeof m.content === "string" ? m.content : JSON.stringify(m.content);
    }
  }
  return null;
}

/** Everything the model was sent in one request, as text (to find a banner or a warning in it). */
export function hostRequestText(body: Record<string, unknown>): string {
  return JSON.stringify(body);
}
