import type { Config } from "../config/schema.ts";
import type { InboundMessage } from "./inbound.ts";

/**
 * Which workspace (memory + files) a message belongs to: the agent's own, or with `isolation: "user"` one
 * per channel user, so two users never see each other's memory or files. The `@` separator cannot occur in
 * a workspace path, so one workspace's keys can never be a folder inside another's.
 */
export function workspaceIdFor(config: Config, message: Pick<InboundMessage, "channel" | "senderId">): string {
  const agent = config.agents.name;
  if (config.agents.isolation !== "user") return agent;
  const sender = message.senderId.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 96) || "anonymous";
  return `${agent}@${message.channel}-${sender}`;
}
