import type { ChatMessage } from "../../../src/providers/types.ts";

const MAX_MESSAGE_CHARS = 4_000;
const MAX_TOOL_CHARS = 1_000;

export const ARCHIVE_SYSTEM_PROMPT = `You archive the older part of a conversation between a user and their AI assistant, so the assistant can drop it from its context and still remember what matters.

Write one line per fact worth keeping, most important first:
- [permanent] stable facts about the user (name, family, pets, preferences, where they live)
- [durable] decisions, plans, commitments, project context, open tasks and their state
- [ephemeral] short-lived context that still matters for the next hours
- [correction] anything that corrects an earlier belief
Keep concrete names, numbers, dates and file paths exactly. Skip greetings, chit-chat and tool noise.
If nothing is worth keeping, answer exactly: (nothing)`;

const clip = (text: string, n: number) => (text.length > n ? `${text.slice(0, n)}… [${text.length - n} more chars]` : text);

function textOf(content: ChatMessage["content"]): string {
  if (content === null) return "";
  if (typeof content === "string") return content;
  return content.map((p) => (p.type === "text" ? p.text : "[image]")).join(" ");
}

function formatMessage(message: ChatMessage, createdAt: number): string {
  const ts = new Date(createdAt).toISOString().slice(0, 16).replace("T", " ");
  switch (message.role) {
    case "tool":
      return `[${ts}] TOOL ${message.name}: ${clip(textOf(message.content), MAX_TOOL_CHARS)}`;
    case "assistant": {
      const tools = message.toolCalls?.length ? ` [tools: ${message.toolCalls.map((c) => c.name).join(", ")}]` : "";
      return `[${ts}] ASSISTANT${tools}: ${clip(textOf(message.content), MAX_MESSAGE_CHARS)}`;
    }
    default:
      return `[${ts}] ${message.role.toUpperCase()}: ${clip(textOf(message.content), MAX_MESSAGE_CHARS)}`;
  }
}

/** The user message of the archive call; it starts with the session key so logs and tests can find it. */
export function archiveUserPrompt(sessionKey: string, rows: Array<{ createdAt: number; message: ChatMessage }>): string {
  return [`Archive of session ${sessionKey}:`, "", ...rows.map((r) => formatMessage(r.message, r.createdAt))].join("\n");
}
