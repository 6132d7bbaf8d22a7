import type { Env } from "../env.ts";
import type { ChatMessage, ContentPart, ToolCall } from "../providers/types.ts";
import type { MediaRef } from "../session-protocol/inbound.ts";
import { loadImageParts } from "../session-protocol/media-parts.ts";
import { openAiError } from "./openai-error.ts";
import type { InputItem, ResponsesRequest } from "./responses-request.ts";
import { outputItems, responseOfItem, storedResponse } from "./responses-object.ts";
import { storeDataUrl } from "./request-media.ts";

const invalid = (message: string, param: string, code = "invalid_value") => openAiError(400, message, "invalid_request_error", code, param);

/** One user message as the session takes it: text plus stored images. */
export interface UserInput {
  text: string;
  media: MediaRef[];
}

/** The request's input split the way a turn needs it. */
export interface ResponsesInput {
  /** Everything before the new user message (or all of it, when the input ends with tool results). */
  prelude: ChatMessage[];
  /** The new user message; null when the input ends with function_call_output items (the turn goes on). */
  user: UserInput | null;
}

/** item_reference → the stored output item it names, looked up in the session of its response. */
async function resolveReferences(env: Env, items: InputItem[]): Promise<InputItem[]> {
  const cache = new Map<string, Array<Record<string, unknown>>>();
  const out: InputItem[] = [];
  for (const [i, item] of items.entries()) {
    if (item.type !== "item_reference") {
      out.push(item);
      continue;
    }
    const responseId = responseOfItem(item.id);
    let output = responseId ? cache.get(responseId) : undefined;
    if (!output && responseId) {
      const stored = await storedResponse(env, responseId);
      if (stored) cache.set(responseId, (output = outputItems(responseId, stored.reply)));
    }
    const found = output?.find((o) => o.id === item.id);
    if (!found) throw openAiError(404, `Item with id '${item.id}' not found.`, "invalid_request_error", "item_not_found", `input[${i}].id`);
    if (found.type === "message") {
      const content = found.content as Array<{ text: string }>;
      out.push({ role: "assistant", content: content.map((p) => ({ type: "output_text", text: p.text })) } as InputItem);
    } else out.push(found as InputItem);
  }
  return out;
}

async function partsOf(item: Extract<InputItem, { role: string }>, index: number, env: Env, workspaceId: string): Promise<UserInput> {
  if (typeof item.content === "string") return { text: item.content, media: [] };
  const texts: string[] = [];
  const media: MediaRef[] = [];
  for (const [j, part] of item.content.entries()) {
    if ("text" in part && typeof part.text === "string") texts.push(part.text);
    else if (part.type === "input_image") {
      const url = (part as { image_url?: string }).image_url;
      if (!url) throw invalid("input_image needs image_url (a base64 data: URL); file_id is not supported.", `input[${index}].content[${j}]`, "unsupported_image");
      media.push(await storeDataUrl(env.WORKSPACE, workspaceId, url));
    } else throw invalid(`Content parts of type '${part.type}' are not supported; use input_text or input_image.`, `input[${index}].content[${j}].type`);
  }
  return { text: texts.join("\n"), media };
}

const outputText = (output: string | Array<{ type: string; text?: unknown }>) =>
  typeof output === "string" ? output : output.map((p) => (typeof p.text === "string" ? p.text : "")).join("\n");

/**
 * Converts Responses API input to the session's messages. Consecutive function_call items join the assistant
 * message before them (one model step); a function_call_output becomes a tool result for its call.
 */
export async function readResponsesInput(env: Env, body: ResponsesRequest, workspaceId: string): Promise<ResponsesInput> {
  if (typeof body.input === "string") return { prelude: [], user: { text: body.input, media: [] } };
  const items = await resolveReferences(env, body.input);
  const lastUser = items.findLastIndex((item) => "role" in item && item.role === "user");
  const endsWithOutputs = items.at(-1)?.type === "function_call_output";
  if (!endsWithOutputs && lastUser !== items.length - 1) {
    throw invalid("The input must end with a user message or with function_call_output items.", "input");
  }
  const names = new Map<string, string>();
  const prelude: ChatMessage[] = [];
  let user: UserInput | null = null;
  for (const [i, item] of items.entries()) {
    if (item.type === "reasoning" || item.type === "item_reference") continue;
    if (item.type === "function_call") {
      const call: ToolCall = { id: item.call_id, name: item.name, arguments: item.arguments };
      names.set(call.id, call.name);
      const previous = prelude.at(-1);
      if (previous?.role === "assistant") previous.toolCalls = [...(previous.toolCalls ?? []), call];
      else prelude.push({ role: "assistant", content: null, toolCalls: [call] });
    } else if (item.type === "function_call_output") {
      prelude.push({ role: "tool", toolCallId: item.call_id, name: names.get(item.call_id) ?? "", content: outputText(item.output) });
    } else {
      const input = await partsOf(item, i, env, workspaceId);
      if (i === lastUser && !endsWithOutputs) user = input;
      else if (item.role === "user") {
        const images: ContentPart[] = await loadImageParts(env.WORKSPACE, input.media);
        prelude.push({ role: "user", content: images.length ? [...images, { type: "text", text: input.text }] : input.text });
      } else if (item.role === "assistant") prelude.push({ role: "assistant", content: input.text });
      else prelude.push({ role: "system", content: input.text });
    }
  }
  return { prelude, user };
}
