import type { ResolvedModelChoice } from "../providers/resolve-model.ts";
import type { ChatMessage } from "../providers/types.ts";
import { estimateMessageTokens } from "./token-estimate.ts";

const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/** The config key that set this choice's context window (a preset's own, or the default's). */
export function contextWindowKey(choice: Pick<ResolvedModelChoice, "presetName">): string {
  return choice.presetName ? `modelPresets.${choice.presetName}.contextWindowTokens` : "agents.defaults.contextWindowTokens";
}

export interface ContextOverflow {
  /** Estimated tokens of what did not fit. */
  tokens: number;
  /** What the user is told instead of an answer (the model is not called). */
  reply: string;
}

export interface OverflowInput {
  /** What the model must see whole this turn: a session's new user message, or a stateless request's messages. */
  messages: ChatMessage[];
  choice: Pick<ResolvedModelChoice, "presetName" | "contextWindowTokens">;
  /** Tokens left once the system prompt, tool schemas and the answer have their share (TurnSetup.historyBudget). */
  room: number;
  /** What the user can do instead, e.g. "Send a shorter message or attach it as a file." */
  advice: string;
}

/**
 * A message larger than the room the context window leaves would be cut away by the history window and the
 * model would answer without it, as if it had never been sent. The turn is answered with this instead, without
 * calling the model: the user learns their message was not read, how large it is and which setting limits it.
 */
export function contextOverflow(input: OverflowInput): ContextOverflow | null {
  const tokens = input.messages.reduce((n, m) => n + estimateMessageTokens(m), 0);
  if (tokens <= input.room) return null;
  const last = input.messages[input.messages.length - 1];
  const lastTokens = last ? estimateMessageTokens(last) : 0;
  const what =
    input.messages.length === 1 || lastTokens > input.room
      ? `Your message is about ${thousands(lastTokens)} tokens`
      : `The messages of this request are about ${thousands(tokens)} tokens`;
  const reply =
    `${what}; this model's context window is ${thousands(input.choice.contextWindowTokens)} tokens (${contextWindowKey(input.choice)}), ` +
    `and about ${thousands(input.room)} of them are left for it once the instructions, tools and the answer have their share. ` +
    `It was not sent to the model. ${input.advice}`;
  return { tokens, reply };
}

/** What a session logs in place of a message that did not fit, so later turns (and Dream) know it was sent. */
export function overflowPlaceholder(tokens: number): ChatMessage {
  return {
    role: "user",
    content: `[A message of about ${thousands(tokens)} tokens was sent here. It did not fit the model's context window, so it was neither read nor kept; the user was asked to send it shorter or as a file.]`,
  };
}
