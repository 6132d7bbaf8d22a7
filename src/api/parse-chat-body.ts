import type { Context } from "hono";
import type { z } from "zod";
import type { AppEnv } from "../app-env.ts";
import { type ChatRequestBody, chatRequestSchema } from "./chat-request.ts";
import { openAiError } from "./openai-error.ts";

export interface ParsedChatBody {
  body: ChatRequestBody;
  /** Files from a multipart upload. */
  files: File[];
}

function invalid(message: string, code = "invalid_request") {
  return openAiError(400, message, "invalid_request_error", code);
}

/** JSON (OpenAI's format) or multipart (`message`, `files`, `session_id`, `model`, `stream`). */
export async function parseChatBody(c: Context<AppEnv>): Promise<ParsedChatBody> {
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  let raw: unknown;
  const files: File[] = [];
  if (type.startsWith("application/json")) {
    raw = await readJson(c);
  } else if (type.startsWith("multipart/form-data")) {
    let form: FormData;
    try {
      form = await c.req.formData();
    } catch {
      throw invalid("Invalid multipart body.", "invalid_multipart");
    }
    const message = form.get("message");
    if (typeof message !== "string") throw invalid("Multipart requests need a text field 'message'.");
    for (const f of form.getAll("files")) if (typeof f !== "string") files.push(f);
    raw = {
      messages: [{ role: "user", content: message }],
      session_id: form.get("session_id") ?? undefined,
      model: form.get("model") ?? undefined,
      stream: form.get("stream") === "true",
    };
  } else {
    throw openAiError(415, "Content-Type must be application/json (or multipart/form-data for uploads).", "invalid_request_error", "unsupported_media_type");
  }
  return { body: validate(chatRequestSchema, raw), files };
}

async function readJson(c: Context<AppEnv>): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch (err) {
    throw invalid(`Invalid JSON body: ${(err as Error).message}`, "invalid_json");
  }
}

function validate<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
  throw invalid(`Invalid request: ${where}${issue.message}`);
}

/** A JSON-only body (the Responses API), checked against its schema with the same errors as chat. */
export async function parseJsonBody<T extends z.ZodType>(c: Context<AppEnv>, schema: T): Promise<z.infer<T>> {
  if (!(c.req.header("content-type") ?? "").toLowerCase().startsWith("application/json")) {
    throw openAiError(415, "Content-Type must be application/json.", "invalid_request_error", "unsupported_media_type");
  }
  return validate(schema, await readJson(c));
}
