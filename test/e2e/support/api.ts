// A scripted stand-in for the Anthropic Messages API, for driving the real Claude Code offline.
// Claude Code's agent loop sends one POST /v1/messages per model turn (with its tool list); the
// server answers each with the next turn of a script, streamed as SSE exactly like the real API,
// and keeps every request so a test can assert what the model was shown.

/** One thing the scripted model says in a turn: a tool call or a piece of text. */
export type Step = { tool: string; input: Record<string, unknown>; id?: string } | { text: string };

/** One model turn: the steps of one assistant message. Tool calls make Claude Code run them and ask again. */
export type Turn = Step[];

/** A turn, or a function that builds it from the request that asked for it (to react to tool results). */
export type ScriptTurn = Turn | ((req: MessagesRequest, turnIndex: number) => Turn);

/** The parsed body of a POST /v1/messages, with the fields tests look at typed loosely. */
export interface MessagesRequest {
  model: string;
  stream?: boolean;
  system?: unknown;
  tools?: { name: string }[];
  messages: { role: string; content: string | ContentBlock[] }[];
  [key: string]: unknown;
}

/** A content block of a request message (text, tool_use, tool_result, ...). */
export interface ContentBlock {
  type: string;
  text?: string;
  id?: string;
  name?: string;
  input?: unknown;
  tool_use_id?: string;
  is_error?: boolean;
  content?: string | ContentBlock[];
  [key: string]: unknown;
}

/** Every request the server received, in order. `body` is the parsed JSON body (null if none). */
export interface LoggedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: MessagesRequest | null;
  /** True when the request was answered from the script (a main-loop turn with a tool list). */
  scripted: boolean;
}

/** A running scripted API. */
export interface ScriptedApi {
  /** Base URL for ANTHROPIC_BASE_URL, e.g. http://127.0.0.1:40123 */
  readonly url: string;
  readonly port: number;
  /** Every request received so far. */
  readonly requests: LoggedRequest[];
  /** The main-loop POST /v1/messages bodies (those answered from the script), in order. */
  modelRequests(): MessagesRequest[];
  /** How many script turns have been served. */
  turnsServed(): number;
  /** Stops the server (idempotent). */
  stop(): void;
}

/** Options for `startApi`. */
export interface ApiOptions {
  /** What the model says once the script has run out (default "done"). */
  finalText?: string;
}

/** Reads a file (the Write and Edit tools refuse files the session has not read). `file` must be absolute. */
export const read = (file: string, id?: string): Step => ({ tool: "Read", input: { file_path: file }, ...(id ? { id } : {}) });
/** Writes `content` to `file` (absolute path). */
export const write = (file: string, content: string, id?: string): Step => ({ tool: "Write", input: { file_path: file, content }, ...(id ? { id } : {}) });
/** Replaces `oldString` by `newString` in `file` (absolute path). */
export const edit = (file: string, oldString: string, newString: string, id?: string): Step => ({
  tool: "Edit",
  input: { file_path: file, old_string: oldString, new_string: newString },
  ...(id ? { id } : {}),
});
/** Runs a shell command with the Bash tool. */
export const bash = (command: string, id?: string): Step => ({ tool: "Bash", input: { command, description: "scripted command" }, ...(id ? { id } : {}) });
/** A text block (a turn of text only ends the run). */
export const say = (text: string): Step => ({ text });

/** A POST's JSON body, or null (no body, not JSON). */
export async function jsonBody<T>(req: Request): Promise<T | null> {
  const raw = req.method === "POST" ? await req.text() : "";
  try {
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

function usage() {
  return { input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
}

/** The assistant content blocks for a turn, with tool ids filled in. */
function blocks(turn: Turn, turnIndex: number): ContentBlock[] {
  return turn.map((s, i) =>
    "tool" in s ? { type: "tool_use", id: s.id ?? `toolu_e2e_${turnIndex}_${i}`, name: s.tool, input: s.input } : { type: "text", text: s.text },
  );
}

function streamed(id: string, model: string, content: ContentBlock[], stopReason: string): string {
  let out = sse("message_start", {
    type: "message_start",
    message: { id, type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: usage() },
  });
  content.forEach((b, index) => {
    if (b.type === "tool_use") {
      out += sse("content_block_start", { type: "content_block_start", index, content_block: { type: "tool_use", id: b.id, name: b.name, input: {} } });
      out += sse("content_block_delta", { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: JSON.stringify(b.input) } });
    } else {
      out += sse("content_block_start", { type: "content_block_start", index, content_block: { type: "text", text: "" } });
      out += sse("content_block_delta", { type: "content_block_delta", index, delta: { type: "text_delta", text: b.text ?? "" } });
    }
    out += sse("content_block_stop", { type: "content_block_stop", index });
  });
  out += sse("message_delta", { type: "message_delta", delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: 1 } });
  out += sse("message_stop", { type: "message_stop" });
  return out;
}

/**
 * Starts the scripted Messages API on 127.0.0.1 (a free port). Each main-loop request (a POST
 * /v1/messages carrying a tool list) is answered with the next turn of `script`; after the last
 * turn the model says `finalText` and stops. Requests without tools (side calls) get a short
 * text, count_tokens gets a count, anything else an empty 200 JSON.
 */
export function startApi(script: ScriptTurn[], opts: ApiOptions = {}): ScriptedApi {
  const requests: LoggedRequest[] = [];
  let turn = 0;
  let msg = 0;
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const url = new URL(req.url);
      const body = await jsonBody<MessagesRequest>(req);
      const entry: LoggedRequest = { method: req.method, path: url.pathname, headers: Object.fromEntries(req.headers), body, scripted: false };
      requests.push(entry);
      if (req.method === "POST" && url.pathname === "/v1/messages/count_tokens") return Response.json({ input_tokens: 1 });
      if (req.method !== "POST" || url.pathname !== "/v1/messages" || !body) return Response.json({});

      let content: ContentBlock[];
      if (Array.isArray(body.tools) && body.tools.length > 0) {
        entry.scripted = true;
        const next = script[turn];
        const t = next === undefined ? [say(opts.finalText ?? "done")] : typeof next === "function" ? next(body, turn) : next;
        content = blocks(t.length ? t : [say(opts.finalText ?? "done")], turn);
        turn++;
      } else {
        content = [{ type: "text", text: "ok" }];
      }
      const stopReason = content.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn";
      const id = `msg_e2e_${++msg}`;
      if (body.stream) return new Response(streamed(id, body.model, content, stopReason), { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
      return Response.json({ id, type: "message", role: "assistant", model: body.model, content, stop_reason: stopReason, stop_sequence: null, usage: usage() });
    },
  });
  const port = server.port as number;
  let stopped = false;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    modelRequests: () => requests.filter((r) => r.scripted && r.body).map((r) => r.body as MessagesRequest),
    turnsServed: () => turn,
    stop() {
      if (stopped) return;
      stopped = true;
      server.stop(true);
    },
  };
}

/** The text of a block's content: a string, or the text blocks of an array, joined by newlines. */
export function blockText(c: string | ContentBlock[] | undefined): string {
  if (c === undefined) return "";
  if (typeof c === "string") return c;
  return c.map((b) => (b.type === "text" ? (b.text ?? "") : b.type === "tool_result" ? blockText(b.content) : "")).join("\n");
}

/** Everything the model was shown in the messages of one request (texts, tool results), system-role messages included. */
export function messagesText(req: MessagesRequest): string {
  return req.messages.map((m) => blockText(m.content)).join("\n");
}

/** The result of one tool call as the model received it, found in the requests' messages. */
export interface ToolResult {
  toolUseId: string;
  /** The result's text, after the prefix Claude Code 2.1.332 puts before a hook's refusal (see `prefix`). */
  text: string;
  /** "PreToolUse:Write hook error: " when Claude Code 2.1.332 prefixed a hook's refusal; "" otherwise (2.1.197). */
  prefix: string;
  isError: boolean;
  /**
   * What hooks said about the call: text blocks after the tool_result in the same user message
   * (2.1.197: a <system-reminder> block), and the text of the system-role messages that directly
   * follow it (2.1.332: "PreToolUse:Write hook additional context: ...").
   */
  siblings: string[];
}

const REFUSAL_PREFIX = /^PreToolUse:\S+ hook error: (?=coord:|\[)/;

/** Finds the tool_result for `toolUseId` in the latest request that carries it, or null. */
export function toolResult(reqs: MessagesRequest[], toolUseId: string): ToolResult | null {
  for (let i = reqs.length - 1; i >= 0; i--) {
    const msgs = reqs[i]?.messages ?? [];
    for (const [mi, m] of msgs.entries()) {
      if (typeof m.content === "string") continue;
      const idx = m.content.findIndex((b) => b.type === "tool_result" && b.tool_use_id === toolUseId);
      if (idx < 0) continue;
      const b = m.content[idx] as ContentBlock;
      const siblings = m.content
        .slice(idx + 1)
        .filter((s) => s.type === "text")
        .map((s) => s.text ?? "");
      for (const next of msgs.slice(mi + 1)) {
        if (next.role !== "system") break;
        siblings.push(blockText(next.content));
      }
      const raw = blockText(b.content);
      const prefix = REFUSAL_PREFIX.exec(raw)?.[0] ?? "";
      return { toolUseId, text: raw.slice(prefix.length), prefix, isError: b.is_error === true, siblings };
    }
  }
  return null;
}
