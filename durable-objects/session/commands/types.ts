import type { Outbounds } from "../../../src/channels/outbound.ts";
import type { Config } from "../../../src/config/schema.ts";
import type { Env } from "../../../src/env.ts";
import type { ChatMessage } from "../../../src/providers/types.ts";
import type { SessionRuntime } from "../schedule-handlers.ts";
import type { TurnRequest } from "../../../src/session-protocol/inbound.ts";

/** What a slash command may see and do in its session. */
export interface CommandSession {
  sessionKey: string;
  config: Config;
  env: Env;
  stats(): { messages: number; tokens: number; total: number };
  recent(n: number): Promise<ChatMessage[]>;
  /** Aborts the running turn; returns how many were stopped. */
  stopTurn(): number;
  /** `/new`: archives the part of the conversation not yet summarised into history.jsonl, then starts over. */
  startFresh(): Promise<void>;
  getMeta<T>(key: string): T | undefined;
  setMeta(key: string, value: unknown): void;
  describeModel(): { model: string; provider: string; preset: string | null };
  /** Available model presets besides `default`. */
  presetNames(): string[];
  busy(): boolean;
  /** The whole session (env, stores, timers) for commands that need more than the above (/dream, /trigger, /goal). */
  runtime(): SessionRuntime;
  /** The message that carried the command: who sent it, on which channel (/pairing revoke defaults to it). */
  request?: TurnRequest;
  /** Every channel's outbound side (/pairing approve tells the approved sender). */
  outbounds: Outbounds;
}

export interface SlashCommand {
  name: string;
  usage: string;
  summary: string;
  /**
   * Runs in the session's alarm, after the message was stored and the platform answered (Slack retries a
   * webhook not answered within 3 s): for commands that wait on a model or another object (/dream, /new).
   * The others answer inline, and only they can reach a running turn (/stop).
   */
  deferred?: boolean;
  /** Stops the running turn as soon as the command arrives, before it waits for the alarm (/new). */
  interrupts?: boolean;
  run(args: string, session: CommandSession): Promise<string> | string;
}
