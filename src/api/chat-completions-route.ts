import { Hono } from "hono";
import type { AppEnv } from "../app-env.ts";
import type { Config } from "../config/schema.ts";
import { listModelIds } from "../providers/create-provider.ts";
import type { ChatMessage } from "../providers/types.ts";
import { loadImageParts } from "../session/media-parts.ts";
import type { InboundMessage, MediaRef } from "../session/inbound.ts";
import { streamTurn } from "../session/session-client.ts";
import { conversationKey } from "../session/session-key.ts";
import { workspaceIdFor } from "../session/workspace-id.ts";
import type { ChatRequestMessage } from "./chat-request.ts";
import { openAiError } from "./openai-error.ts";
import { collectCompletion, streamCompletion } from "./openai-response.ts";
import { parseChatBody } from "./parse-chat-body.ts";
import { storeDataUrl, storeMedia } from "./request-media.ts";
import { runStatelessTurn } from "./stateless-turn.ts";

export const chatCompletionsRoute = new Hono<AppEnv>();

/** A model id from /v1/models: the configured model (no override) or a preset name (that preset). */
function presetFor(config: Config, model: string | undefined): string | null {
  if (!model || model === config.agents.defaults.model || model === "default") return null;
  if (config.modelPresets[model]) return model;
  const available = listModelIds(config).join(", ");
  throw openAiError(404, `The model '${model}' does not exist. Available: ${available}`, "invalid_request_error", "model_not_found");
}

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

async function toChatMessages(messages: ChatRequestMessage[], bucket: R2Bucket, workspaceId: string): Promise<ChatMessage[]> {
  const out: ChatMessage[] = [];
  for (const m of messages) {
    const { text, media } = await splitContent(m, bucket, workspaceId);
    if (m.role === "system" || m.role === "developer") out.push({ role: "system", content: text });
    else if (m.role === "assistant") out.push({ role: "assistant", content: text });
    else if (m.role === "user") {
      const images = await loadImageParts(bucket, media);
      out.push({ role: "user", content: images.length ? [...images, { type: "text", text }] : text });
    }
    // Client-side tool messages have no tool calls of ours to pair with; they are dropped.
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
  const last = body.messages[body.messages.length - 1];
  if (last.role !== "user") throw openAiError(400, "The last message must have role 'user'.", "invalid_request_error", "invalid_messages");

  if (!sessionId) {
    const workspaceId = workspaceIdFor(config, { channel: "api", senderId: "stateless" });
    const messages = await toChatMessages(body.messages, c.env.WORKSPACE, workspaceId);
    const events = runStatelessTurn({ env: c.env, config, workspaceId, preset, messages });
    return body.stream ? streamCompletion(events, modelName) : collectCompletion(events, modelName);
  }

  const workspaceId = workspaceIdFor(config, { channel: "api", senderId: sessionId });
  const { text, media } = await splitContent(last, c.env.WORKSPACE, workspaceId);
  for (const file of files) media.push(await storeMedia(c.env.WORKSPACE, workspaceId, await file.arrayBuffer(), file.type || "application/octet-stream", file.name));
  if (!text.trim() && !media.length) throw openAiError(400, "The user message is empty.", "invalid_request_error", "empty_message");
  const message: InboundMessage = { channel: "api", chatId: sessionId, senderId: sessionId, text, media };
  const idempotencyKey = c.req.header("idempotency-key");
  const events = await streamTurn(c.env, {
    sessionKey: conversationKey(config, message, `api:${sessionId}`),
    workspaceId,
    message,
    preset,
    dedupeKey: idempotencyKey ? `api:${idempotencyKey}` : undefined,
  });
  return body.stream ? streamCompletion(events, modelName) : collectCompletion(events, modelName);
});
