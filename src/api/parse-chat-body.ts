import type { Context } from "hono";
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
    const text = await c.req.text();
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw invalid(`Invalid JSON body: ${(err as Error).message}`, "invalid_json");
    }
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
  const parsed = chatRequestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
    throw invalid(`Invalid request: ${where}${issue.message}`);
  }
  return { body: parsed.data, files };
}
