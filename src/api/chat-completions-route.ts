import { Hono } from "hono";
import type { AppEnv } from "../app-env.ts";
import type { ChatMessage } from "../providers/types.ts";
import { loadImageParts } from "../session-protocol/media-parts.ts";
import type { InboundMessage, MediaRef } from "../session-protocol/inbound.ts";
import { streamTurn } from "../session-protocol/session-client.ts";
import { conversationKey } from "../session-protocol/session-key.ts";
import { workspaceIdFor } from "../session-protocol/workspace-id.ts";
import type { ChatRequestMessage } from "./chat-request.ts";
import { parseClientTools } from "./client-tools.ts";
import { presetFor } from "./model-choice.ts";
import { openAiError } from "./openai-error.ts";
import { collectCompletion, streamCompletion } from "./openai-response.ts";
import { parseChatBody } from "./parse-chat-body.ts";
import { storeDataUrl, storeMedia } from "./request-media.ts";
import { runStatelessTurn } from "./stateless-turn.ts";

export const chatCompletionsRoute = new Hono<AppEnv>();

async function splitContent(message: ChatRequestMessage, bucket: R2Bucket, workspaceId: string): Promise<{ text: string; media: MediaRef[] }> {
  const content = message.content ?? "";
  if (typeof content === "string") return { text: content, media: [] };
  const texts: string[] = [];
  const media: MediaRef[] = [];
  for (const part of content) {
    if (part.type === "text") texts.push(part.text);
    else media.push(await storeDataUrl(bucket, workspaceId, typeof part.image_url === "string" ? part.image_url : part.image_url.url));
  }
  return { text: texts.join("\n"), media };
}

/** A client tool's result; the tool's name is that of the call it answers (empty when the call is not in view). */
function toolResult(m: ChatRequestMessage, text: string, names: Map<string, string>): ChatMessage {
  if (!m.tool_call_id) throw openAiError(400, "A message with role 'tool' needs tool_call_id.", "invalid_request_error", "invalid_messages", "messages");
  return { role: "tool", toolCallId: m.tool_call_id, name: names.get(m.tool_call_id) ?? "", content: text };
}

async function toChatMessages(messages: ChatRequestMessage[], bucket: R2Bucket, workspaceId: string): Promise<ChatMessage[]> {
  const out: ChatMessage[] = [];
  const callNames = new Map<string, string>();
  for (const m of messages) {
    const { text, media } = await splitContent(m, bucket, workspaceId);
    if (m.role === "system" || m.role === "developer") out.push({ role: "system", content: text });
    else if (m.role === "assistant") {
      const toolCalls = (m.tool_calls ?? []).map((c) => ({ id: c.id, name: c.function.name, arguments: c.function.arguments }));
      for (const c of toolCalls) callNames.set(c.id, c.name);
      out.push(toolCalls.length ? { role: "assistant", content: text || null, toolCalls } : { role: "assistant", content: text });
    } else if (m.role === "user") {
      const images = await loadImageParts(bucket, media);
      out.push({ role: "user", content: images.length ? [...images, { type: "text", text }] : text });
    } else out.push(toolResult(m, text, callNames));
  }
  return out;
}

chatCompletionsRoute.post("/", async (c) => {
  const config = c.get("config");
  const { body, files } = await parseChatBody(c);
  const preset = presetFor(config, body.model);
  const modelName = body.model ?? config.agents.defaults.model;
  const sessionId = body.session_id ?? c.req.header("x-session-id");
  if (sessionId !== undefined && !/^[A-Za-z0-9_.:-]{1,128}$/.test(sessionId)) {
    throw openAiError(400, "Invalid session id: use letters, digits, '_', '.', ':' or '-' (max 128).", "invalid_request_error", "invalid_session_id");
  }
  const clientTools = parseClientTools(config, c.env, body.tools, body.tool_choice);
  const last = body.messages[body.messages.length - 1];
  // A trailing run of tool messages answers the client tool calls of the previous response: the turn goes on.
  if (last.role !== "user" && last.role !== "tool") throw openAiError(400, "The last message must have role 'user' or 'tool'.", "invalid_request_error", "invalid_messages");

  if (!sessionId) {
    const workspaceId = workspaceIdFor(config, { channel: "api", senderId: "stateless" });
    const messages = await toChatMessages(body.messages, c.env.WORKSPACE, workspaceId);
    const events = runStatelessTurn({ env: c.env, config, workspaceId, preset, messages, clientTools });
    return body.stream ? streamCompletion(events, modelName) : collectCompletion(events, modelName);
  }

  const workspaceId = workspaceIdFor(config, { channel: "api", senderId: sessionId });
  let message: InboundMessage;
  let prelude: ChatMessage[] | undefined;
  if (last.role === "tool") {
    let first = body.messages.length - 1;
    while (first > 0 && body.messages[first - 1].role === "tool") first--;
    prelude = await toChatMessages(body.messages.slice(first), c.env.WORKSPACE, workspaceId);
    message = { channel: "api", chatId: sessionId, senderId: sessionId, text: "" };
  } else {
    const { text, media } = await splitContent(last, c.env.WORKSPACE, workspaceId);
    for (const file of files) media.push(await storeMedia(c.env.WORKSPACE, workspaceId, await file.arrayBuffer(), file.type || "application/octet-stream", file.name));
    if (!text.trim() && !media.length) throw openAiError(400, "The user message is empty.", "invalid_request_error", "empty_message");
    message = { channel: "api", chatId: sessionId, senderId: sessionId, text, media };
  }
  const idempotencyKey = c.req.header("idempotency-key");
  const events = await streamTurn(c.env, {
    sessionKey: conversationKey(config, message, `api:${sessionId}`),
    workspaceId,
    message,
    preset,
    dedupeKey: idempotencyKey ? `api:${idempotencyKey}` : undefined,
    api: clientTools || prelude ? { clientTools, prelude, resume: !!prelude } : undefined,
  });
  return body.stream ? streamCompletion(events, modelName) : collectCompletion(events, modelName);
});
