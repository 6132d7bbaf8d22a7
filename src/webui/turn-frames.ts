import type { TurnReply } from "../session-protocol/inbound.ts";
import type { TurnEvent } from "../session-protocol/turn-events.ts";
import type { FileEditPayload, ServerEvent, ToolEventPayload } from "./protocol.ts";
import { formatToolHint } from "../channels/progress/tool-hint.ts";

/** Tools whose calls nanobot reports as `file_edit` (utils/file_edit_events.py TRACKED_FILE_EDIT_TOOLS). */
const FILE_EDIT_TOOLS = new Set(["write_file", "edit_file", "apply_patch"]);

/** nanobot's default cap; the session sends its hint already cut at agents.defaults.toolHintMaxLength. */
const TOOL_HINT_MAX = 40;

const lineCount = (text: unknown) => (typeof text === "string" && text ? text.split("\n").length - (text.endsWith("\n") ? 1 : 0) : 0);

export interface TurnFramesOptions {
  chatId: string;
  /** `channels.websocket.streaming`: false sends the answer as one `message` (nanobot's non-streaming mode). */
  streaming: boolean;
  /** The client's turn id (`message.turn_id`), echoed on `message` and `turn_end`. */
  turnId?: string;
}

/**
 * The one place a session's turn events become nanobot WebSocket frames (channels/websocket/runtime.py
 * send_delta, send_reasoning_delta, send with tool_events, send_file_edit_events). One instance per turn.
 * Adding a frame for a new turn event is one more branch in `map`.
 */
export class TurnFrames {
  private readonly baseId = crypto.randomUUID().slice(0, 8);
  private readonly reasoningId = `r${this.baseId}`;
  /** nanobot numbers the answer's segments (`<base>:<n>`); a tool call ends one with `resuming: true`. */
  private segment = 0;
  private segmentOpen = false;
  private readonly startedAt = Date.now();
  private readonly args = new Map<string, Record<string, unknown>>();
  private streamed = "";
  private reasoning = false;
  private readonly options: TurnFramesOptions;

  constructor(options: TurnFramesOptions) {
    this.options = options;
  }

  map(event: TurnEvent): ServerEvent[] {
    const chat_id = this.options.chatId;
    switch (event.type) {
      case "reasoning_delta":
        this.reasoning = true;
        return [{ event: "reasoning_delta", chat_id, text: event.text, stream_id: this.reasoningId }];
      case "delta":
        if (!this.options.streaming) {
          this.streamed += event.text;
          return this.endReasoning();
        }
        this.streamed += event.text;
        this.segmentOpen = true;
        return [...this.endReasoning(), { event: "delta", chat_id, text: event.text, stream_id: this.streamId }];
      case "tool_start": {
        const args = event.args && typeof event.args === "object" && !Array.isArray(event.args) ? (event.args as Record<string, unknown>) : {};
        this.args.set(event.id, args);
        const tool: ToolEventPayload = { version: 1, phase: "start", call_id: event.id, name: event.name, arguments: args, result: null, error: null, files: [], embeds: [] };
        const frames: ServerEvent[] = [...this.endReasoning(), ...this.endSegment(true), { event: "message", chat_id, text: event.hint ?? formatToolHint(event.name, args, TOOL_HINT_MAX), kind: "tool_hint", tool_events: [tool] }];
        if (FILE_EDIT_TOOLS.has(event.name)) frames.push({ event: "file_edit", chat_id, edits: [this.fileEdit(event.id, event.name, "start")] });
        return frames;
      }
      case "tool_end": {
        const args = this.args.get(event.id) ?? {};
        const phase = event.isError ? "error" : "end";
        const tool: ToolEventPayload = {
          version: 1,
          phase,
          call_id: event.id,
          name: event.name,
          arguments: args,
          result: null,
          error: event.isError ? "Tool execution failed" : null,
          files: [],
          embeds: [],
          duration_ms: event.ms,
        };
        const frames: ServerEvent[] = [{ event: "message", chat_id, text: "", kind: "progress", tool_events: [tool] }];
        if (FILE_EDIT_TOOLS.has(event.name)) frames.push({ event: "file_edit", chat_id, edits: [this.fileEdit(event.id, event.name, phase)] });
        return frames;
      }
      default:
        return [];
    }
  }

  /** The answer is complete: close the stream (or send it whole), name the model, end the turn. */
  done(reply: TurnReply, extra: Pick<Extract<ServerEvent, { event: "turn_end" }>, "goal_state"> = {}): ServerEvent[] {
    const chat_id = this.options.chatId;
    const turnId = this.options.turnId ? { turn_id: this.options.turnId } : {};
    const frames: ServerEvent[] = this.endReasoning();
    // Streamed text ends with stream_end; a reply that never streamed (slash commands) or streaming: false
    // arrives as one `message`, as nanobot sends it.
    if (this.options.streaming && this.streamed) frames.push(...this.endSegment(false));
    else if (reply.content) frames.push({ event: "message", chat_id, text: reply.content, ...turnId, latency_ms: this.latency() });
    if (reply.model && !reply.isCommand) frames.push({ event: "turn_model_updated", chat_id, model_name: reply.model });
    const usage = reply.usage ? { prompt_tokens: reply.usage.promptTokens, completion_tokens: reply.usage.completionTokens, total_tokens: reply.usage.promptTokens + reply.usage.completionTokens } : undefined;
    frames.push({ event: "turn_end", chat_id, ...turnId, latency_ms: this.latency(), ...(usage && usage.total_tokens ? { usage } : {}), ...extra, stop_reason: reply.stopReason });
    return frames;
  }

  /** The turn failed: nanobot's soft `error`, then `turn_end` so clients stop waiting. */
  failed(detail: string, code: string): ServerEvent[] {
    const chat_id = this.options.chatId;
    const turnId = this.options.turnId ? { turn_id: this.options.turnId } : {};
    return [...this.endReasoning(), { event: "error", chat_id, detail, code, ...turnId }, { event: "turn_end", chat_id, ...turnId, latency_ms: this.latency(), stop_reason: "error" }];
  }

  get streamId(): string {
    return `${this.baseId}:${this.segment}`;
  }

  private endSegment(resuming: boolean): ServerEvent[] {
    if (!this.segmentOpen) return [];
    const end: ServerEvent = { event: "stream_end", chat_id: this.options.chatId, stream_id: this.streamId, ...(resuming ? { resuming: true } : {}) };
    this.segmentOpen = false;
    this.segment++;
    return [end];
  }

  private latency(): number {
    return Date.now() - this.startedAt;
  }

  private endReasoning(): ServerEvent[] {
    if (!this.reasoning) return [];
    this.reasoning = false;
    return [{ event: "reasoning_end", chat_id: this.options.chatId, stream_id: this.reasoningId }];
  }

  /** Line counts come from the call's arguments (the file itself lives in R2), so they are marked approximate. */
  private fileEdit(callId: string, tool: string, phase: FileEditPayload["phase"]): FileEditPayload {
    const args = this.args.get(callId) ?? {};
    const path = typeof args.path === "string" ? args.path : "";
    const done = phase === "end";
    const added = done ? lineCount(tool === "write_file" ? args.content : args.new_text) : 0;
    const deleted = done && tool === "edit_file" ? lineCount(args.old_text) : 0;
    const status = phase === "start" ? "editing" : phase === "end" ? "done" : "error";
    return { version: 1, call_id: callId, tool, path, absolute_path: path, phase, added, deleted, approximate: true, status, ...(phase === "error" ? { error: "Tool execution failed" } : {}) };
  }
}
