import type { TurnReply } from "./inbound.ts";

/** What a session streams to whoever waits on a turn (the API route, the WebUI, tests). */
export type TurnEvent =
  | { type: "accepted"; inboxId: number; duplicate: boolean }
  | { type: "delta"; text: string }
  | { type: "reasoning_delta"; text: string }
  /** `hint`: the call as people read it ("read notes.md", "$ ls"), nanobot's tool hint. */
  | { type: "tool_start"; id: string; name: string; args: unknown; hint?: string }
  | { type: "tool_end"; id: string; name: string; ms: number; isError: boolean }
  | { type: "done"; reply: TurnReply }
  | { type: "error"; message: string; code: string };

export const encodeEvent = (event: TurnEvent) => `${JSON.stringify(event)}\n`;

/** Reads an NDJSON stream of turn events. */
export async function* readTurnEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<TurnEvent> {
  // Decoded in place: a TextDecoderStream adds a TransformStream hop per chunk (~0.9 ms per API turn, profiled).
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buffer += decoder.decode(value, { stream: true });
    if (done) buffer += decoder.decode();
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line) yield JSON.parse(line) as TurnEvent;
    }
    if (done) break;
  }
  if (buffer.trim()) yield JSON.parse(buffer) as TurnEvent;
}
