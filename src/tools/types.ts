import type { z } from "zod";
import type { Config } from "../config/schema.ts";
import type { Env } from "../env.ts";
import type { ContentPart } from "../providers/types.ts";
import type { MediaRef } from "../session-protocol/inbound.ts";
import type { Workspace } from "../workspace/workspace.ts";
import type { SessionServices } from "./session-services.ts";

/** A tool's answer: plain text, or parts when it returns images for vision models. */
export type ToolResult = string | ContentPart[];

/** Events tools raise for hooks and logs (policy violations, progress). */
export interface ToolEvent {
  event: string;
  detail: string;
}

/** Where a turn came from, so tools like `message` and `cron` can address the chat. */
export interface TurnOrigin {
  channel: string;
  chatId: string;
  senderId?: string;
}

export interface ToolContext {
  env: Env;
  config: Config;
  workspace: Workspace;
  sessionKey: string;
  origin: TurnOrigin;
  signal: AbortSignal;
  emit(event: ToolEvent): void;
  /** The session's cron jobs and goal; absent outside a session (stateless API turns). */
  session?: SessionServices;
  /** Files for the user (R2 refs) a tool produced this turn; they go out with the reply (`TurnReply.media`). */
  outbox?: MediaRef[];
}

export interface ToolDefinition<P extends z.ZodObject = z.ZodObject> {
  name: string;
  description: string;
  /** zod schema: validates the model's arguments and is turned into the JSON Schema the model sees. */
  parameters: P;
  /**
   * JSON Schema shown to the model instead of one derived from `parameters`, for tools that arrive with their
   * own schema (MCP). `parameters` then only needs to accept an object; the tool's owner validates the rest.
   */
  inputSchema?: Record<string, unknown>;
  /** Read-only tools may run concurrently with neighbouring read-only calls. */
  readOnly?: boolean;
  execute(args: z.infer<P>, ctx: ToolContext): Promise<ToolResult>;
}

/** Type helper so a tool file gets its argument types inferred from its schema. */
export function defineTool<P extends z.ZodObject>(tool: ToolDefinition<P>): ToolDefinition<P> {
  return tool;
}

/** A tool failure the model should see as `Error: <message>`; the turn continues. */
export class ToolError extends Error {
  override name = "ToolError";
}
