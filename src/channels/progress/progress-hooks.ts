import type { AgentHooks } from "../../agent/hooks.ts";
import type { Config } from "../../config/schema.ts";
import type { ToolCall } from "../../providers/types.ts";
import { splitThinkTags } from "../../providers/think-tags.ts";
import type { StatusLine } from "./status-line.ts";
import { formatToolHint } from "./tool-hint.ts";

/** Longest interim text and reasoning tail a status line shows (it is a glance, not a transcript). */
const THOUGHT_CHARS = 300;
const REASONING_CHARS = 200;

export interface ProgressSettings {
  sendProgress: boolean;
  sendToolHints: boolean;
  showReasoning: boolean;
  toolHintMaxLength: number;
}

export const progressSettings = (config: Config): ProgressSettings => ({
  sendProgress: config.channels.sendProgress,
  sendToolHints: config.channels.sendToolHints,
  showReasoning: config.channels.showReasoning,
  toolHintMaxLength: config.agents.defaults.toolHintMaxLength,
});

/** True when anything could appear in a status line; otherwise a channel does not create one. */
export const wantsStatusLine = (s: ProgressSettings) => s.sendProgress || s.sendToolHints || s.showReasoning;

const tail = (text: string, max: number) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `…${flat.slice(flat.length - max + 1)}`;
};

/** The model's argument JSON; a malformed one still gives a hint (the tool name). */
function parseArgs(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return {};
  }
}

/** Hints of one batch of calls, repeats folded ("read a.md × 2"), as nanobot shows them. */
function hintLine(calls: ToolCall[], max: number): string {
  const folded: Array<{ hint: string; count: number }> = [];
  // What the message tool sends is itself in the chat; a hint for it would only repeat that.
  for (const call of calls.filter((c) => c.name !== "message")) {
    const hint = formatToolHint(call.name, parseArgs(call.arguments), max);
    const last = folded[folded.length - 1];
    if (last?.hint === hint) last.count++;
    else folded.push({ hint, count: 1 });
  }
  return folded.map((f) => (f.count > 1 ? `${f.hint} × ${f.count}` : f.hint)).join(", ");
}

/**
 * Turn observers that feed a status line: the model's interim text before it calls tools (`sendProgress`;
 * skipped where the channel already streams the text, as nanobot does), the tools it is running
 * (`sendToolHints`) and the tail of its reasoning (`showReasoning`).
 */
export function progressHooks(settings: ProgressSettings, line: StatusLine, opts: { streamsText?: boolean } = {}): AgentHooks {
  let thought = "";
  let reasoning = "";
  let tools = "";
  const render = () => {
    const parts = [thought, reasoning && `💭 ${tail(reasoning, REASONING_CHARS)}`, tools && `🔧 ${tools}`].filter(Boolean);
    if (parts.length) line.update(parts.join("\n"));
  };
  return {
    beforeIteration() {
      reasoning = "";
    },
    onReasoningDelta(text) {
      if (!settings.showReasoning) return;
      reasoning += text;
      if (reasoning.length > 4 * REASONING_CHARS) reasoning = reasoning.slice(-2 * REASONING_CHARS);
      render();
    },
    afterModelCall(response) {
      if (!response.toolCalls.length) return;
      if (settings.sendProgress && !opts.streamsText) thought = tail(splitThinkTags(response.content ?? "").content, THOUGHT_CHARS);
      if (settings.sendToolHints) tools = hintLine(response.toolCalls, settings.toolHintMaxLength);
      render();
    },
  };
}
