import type { Config } from "../config/schema.ts";
import type { InboundMessage } from "./inbound.ts";

/** A sender id as it may appear in a workspace id or session key (no "/", ":" or spaces; bounded length). */
export const senderSegment = (senderId: string) => senderId.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 96) || "anonymous";

/**
 * Which workspace (memory + files) a message belongs to: the agent's own, or with `isolation: "user"` one
 * per channel user, so two users never see each other's memory or files. The `@` separator cannot occur in
 * a workspace path, so one workspace's keys can never be a folder inside another's.
 */
export function workspaceIdFor(config: Config, message: Pick<InboundMessage, "channel" | "senderId">): string {
  const agent = config.agents.name;
  if (config.agents.isolation !== "user") return agent;
  return `${agent}@${message.channel}-${senderSegment(message.senderId)}`;
}

/**
 * A workspace that exists for one stateless API request only (src/api/stateless-turn.ts deletes it when the
 * response ends). Random, so no later request can name it.
 */
export const scratchWorkspaceId = (config: Config) => `${config.agents.name}@scratch-${crypto.randomUUID()}`;
