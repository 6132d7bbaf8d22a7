import type { TurnReply } from "../session-protocol/inbound.ts";
import type { TurnEvent } from "../session-protocol/turn-events.ts";
import { openAiError } from "./openai-error.ts";

/** How one API spells a turn as server-sent events (chat.completion.chunk frames, Responses API typed events). */
export interface SseFormat {
  /** Frames sent as soon as the stream starts. */
  open(): string[];
  delta(text: string): string[];
  /** `streamed` is the text already sent as deltas (a provider that cannot stream sends none). */
  done(reply: TurnReply, streamed: string): string[];
  error(message: string, code: string): string[];
  /** Frames after the last event (chat's `data: [DONE]`). */
  close(): string[];
}

/** A provider failure before anything was said is an HTTP error, so API clients can tell it from an answer. */
export function providerFailure(reply: TurnReply) {
  return openAiError(502, reply.content, "provider_error", "upstream_error");
}

/** Waits for the turn to finish: its reply, or the HTTP error it ended with. */
export async function collectReply(events: AsyncIterable<TurnEvent>): Promise<TurnReply> {
  let streamed = "";
  for await (const event of events) {
    if (event.type === "delta") streamed += event.text;
    if (event.type === "error") throw openAiError(500, event.message, "server_error", event.code);
    if (event.type === "done") {
      if (event.reply.stopReason === "error" && !streamed) throw providerFailure(event.reply);
      return event.reply;
    }
  }
  throw openAiError(500, "The session ended the turn without an answer. Please retry.", "server_error", "turn_incomplete");
}

/**
 * Streams a turn's events as SSE in the given format. Headers wait for the first delta so that a turn that
 * fails before saying anything still gets a proper HTTP error.
 */
export async function streamSse(events: AsyncIterable<TurnEvent>, format: SseFormat): Promise<Response> {
  const iterator = events[Symbol.asyncIterator]();
  const buffered: TurnEvent[] = [];
  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    buffered.push(next.value);
    if (next.value.type === "delta") break;
    if (next.value.type === "error") throw openAiError(500, next.value.message, "server_error", next.value.code);
    if (next.value.type === "done") {
      if (next.value.reply.stopReason === "error") throw providerFailure(next.value.reply);
      break;
    }
  }
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const write = (frames: string[]) => {
        for (const frame of frames) controller.enqueue(encoder.encode(frame));
      };
      write(format.open());
      let streamed = "";
      const handle = (event: TurnEvent): boolean => {
        if (event.type === "delta" && event.text) {
          streamed += event.text;
          write(format.delta(event.text));
        } else if (event.type === "done") {
          write(format.done(event.reply, streamed));
          return true;
        } else if (event.type === "error") {
          write(format.error(event.message, event.code));
          return true;
        }
        return false;
      };
      try {
        let finished = buffered.some(handle);
        while (!finished) {
          const next = await iterator.next();
          if (next.done) break;
          finished = handle(next.value);
        }
        write(format.close());
      } catch (err) {
        write(format.error(String((err as Error)?.message ?? err), "stream_failed"));
      } finally {
        controller.close();
      }
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" } });
}
