import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * An error in OpenAI's shape `{"error": {"message", "type", "code"}}` (+ `param` when one request field is
 * at fault), thrown and rendered once by app.onError.
 */
export function openAiError(status: ContentfulStatusCode, message: string, type: string, code: string | null = null, param: string | null = null): HTTPException {
  const body = JSON.stringify({ error: { message, type, ...(param ? { param } : {}), code } });
  return new HTTPException(status, {
    message,
    res: new Response(body, { status, headers: { "content-type": "application/json" } }),
  });
}
