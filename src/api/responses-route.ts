import { Hono } from "hono";
import type { AppEnv } from "../app-env.ts";
import type { ChatMessage } from "../providers/types.ts";
import { loadImageParts } from "../session-protocol/media-parts.ts";
import { sessionStub, streamTurn } from "../session-protocol/session-client.ts";
import type { TurnEvent } from "../session-protocol/turn-events.ts";
import { workspaceIdFor } from "../session-protocol/workspace-id.ts";
import { parseClientTools } from "./client-tools.ts";
import { presetFor } from "./model-choice.ts";
import { openAiError } from "./openai-error.ts";
import { parseJsonBody } from "./parse-chat-body.ts";
import { readResponsesInput } from "./responses-input.ts";
import {
  chainOf,
  historyUntil,
  newChain,
  newResponseId,
  type ResponseEcho,
  responseEventsFormat,
  responseObject,
  sessionKeyOf,
  storedResponse,
} from "./responses-object.ts";
import { responsesRequestSchema } from "./responses-request.ts";
import { runStatelessTurn } from "./stateless-turn.ts";
import { collectReply, streamSse } from "./sse-writer.ts";

/**
 * OpenAI's Responses API. A chain of responses linked by previous_response_id is one session (`api:resp_<chain>`):
 * the server keeps its history, and a response id names its session (responses-object.ts). Continuing an older
 * response branches: a new chain whose session starts with the history up to that response. `store: false`
 * without previous_response_id runs statelessly, the input being the whole context, as OpenAI does.
 */
export const responsesRoute = new Hono<AppEnv>();

const notFound = (id: string, param: string | null = null) =>
  openAiError(404, `Response with id '${id}' not found.`, "invalid_request_error", "response_not_found", param);

responsesRoute.post("/", async (c) => {
  const config = c.get("config");
  const body = await parseJsonBody(c, responsesRequestSchema);
  const preset = presetFor(config, body.model);
  const clientTools = parseClientTools(config, c.env, body.tools ?? undefined, body.tool_choice ?? undefined);
  const store = body.store ?? true;
  const previous = body.previous_response_id ?? null;

  let chain = newChain();
  /** A branch from an older response starts a new chain whose session begins with the history up to it. */
  let branchHistory: ChatMessage[] = [];
  if (previous) {
    const stored = await storedResponse(c.env, previous);
    if (!stored) throw notFound(previous, "previous_response_id");
    if (stored.latest) chain = chainOf(previous)!;
    else branchHistory = await historyUntil(c.env, previous);
  }
  const id = newResponseId(chain);
  const echo: ResponseEcho = {
    created_at: Math.floor(Date.now() / 1000),
    model: body.model ?? config.agents.defaults.model,
    instructions: body.instructions ?? null,
    previous_response_id: previous,
    store,
    tools: body.tools ?? [],
    tool_choice: body.tool_choice ?? "auto",
    metadata: body.metadata ?? {},
  };

  const sessionKey = sessionKeyOf(chain);
  const workspaceId = workspaceIdFor(config, { channel: "api", senderId: `resp_${chain}` });
  const input = await readResponsesInput(c.env, body, workspaceId);
  if (input.user && !input.user.text.trim() && !input.user.media.length) {
    throw openAiError(400, "The user message is empty.", "invalid_request_error", "empty_message", "input");
  }
  let events: AsyncIterable<TurnEvent>;
  if (!store && !previous) {
    const messages: ChatMessage[] = [...(body.instructions ? [{ role: "system" as const, content: body.instructions }] : []), ...input.prelude];
    if (input.user) {
      const images = await loadImageParts(c.env.WORKSPACE, input.user.media);
      messages.push({ role: "user", content: images.length ? [...images, { type: "text", text: input.user.text }] : input.user.text });
    }
    events = runStatelessTurn({ env: c.env, config, workspaceId, preset, messages, clientTools });
  } else {
    events = await streamTurn(c.env, {
      sessionKey,
      workspaceId,
      message: { channel: "api", chatId: `resp_${chain}`, senderId: `resp_${chain}`, text: input.user?.text ?? "", media: input.user?.media ?? [] },
      preset,
      api: {
        clientTools,
        prelude: [...branchHistory, ...input.prelude],
        resume: !input.user,
        instructions: body.instructions ?? undefined,
        response: store ? { id, echo: { ...echo } } : undefined,
      },
    });
  }
  if (body.stream) return streamSse(events, responseEventsFormat(id, echo));
  return c.json(responseObject(id, echo, await collectReply(events)));
});

responsesRoute.get("/:id", async (c) => {
  const id = c.req.param("id");
  const stored = await storedResponse(c.env, id);
  if (!stored) throw notFound(id);
  return c.json(responseObject(id, stored.echo as unknown as ResponseEcho, stored.reply));
});

responsesRoute.delete("/:id", async (c) => {
  const id = c.req.param("id");
  const chain = chainOf(id);
  if (!chain || !(await sessionStub(c.env, sessionKeyOf(chain)).deleteApiResponse(id))) throw notFound(id);
  return c.json({ id, object: "response", deleted: true });
});
