import { createThrottledDisplay, type ThrottledDisplay } from "./throttled-display.ts";

/**
 * One chat message that shows a turn's answer while it streams, for platforms that can edit a message
 * (Telegram's preview, Feishu's card). It is sent only after the first interval, so a quick answer arrives as
 * one message with no flicker, then edited in the rhythm of throttled-display.ts with the text so far.
 * Failures only log: the final delivery does not depend on the preview. `finishStreamedMessage` stops it and hands its id to delivery, which puts the final text in.
 */
export interface StreamedMessageArgs<Id> {
  /** The turn's key (session key and inbox id); one streamed message per turn. */
  key: string;
  intervalMs: number;
  /** The platform's length limit for one message: the preview shows the start of longer text. */
  maxChars: number;
  /** The message an earlier run of this turn already sent (kept in the delivery ledger): edited, not sent again. */
  messageId?: Id;
  send(text: string): Promise<Id | undefined>;
  edit(id: Id, text: string): Promise<void>;
  /** Told the new message's id at once, so it can be stored before the next edit (it outlives an object reset). */
  onMessageId?(id: Id): void;
  /** How long the platform asked to wait after this failure (ms), or null; the caller logs what it needs to. */
  retryAfterMs(err: unknown): number | null;
  /** Event name of the log line for a failed send or edit. */
  failureEvent: string;
}

interface Stream<Id> {
  messageId?: Id;
  text: string;
  display: ThrottledDisplay;
}

/** Streams of the running turns in this isolate, by turn key. */
const streams = new Map<string, Stream<unknown>>();

/** Starts the stream for one turn; feed it with the returned `append`. */
export function startStreamedMessage<Id>(args: StreamedMessageArgs<Id>): { append(text: string): void } {
  const stream: Stream<Id> = {
    messageId: args.messageId,
    text: "",
    display: createThrottledDisplay({
      intervalMs: args.intervalMs,
      notBefore: Date.now() + args.intervalMs,
      async show(snapshot) {
        if (stream.messageId !== undefined) return args.edit(stream.messageId, snapshot);
        stream.messageId = await args.send(snapshot);
        if (stream.messageId !== undefined) args.onMessageId?.(stream.messageId);
      },
      retryAfterMs: args.retryAfterMs,
      onFailure: (err, retryAfterMs) => {
        if (retryAfterMs === null) console.log(JSON.stringify({ event: args.failureEvent, error: String(err).slice(0, 200) }));
      },
    }),
  };
  streams.set(args.key, stream as Stream<unknown>);
  return {
    append(text) {
      stream.text += text;
      const snapshot = stream.text.slice(0, args.maxChars);
      if (snapshot.trim()) stream.display.set(snapshot);
    },
  };
}

/** Stops a turn's stream and returns its message id (to be edited into the final reply), if one was sent. */
export async function finishStreamedMessage<Id>(key: string): Promise<Id | undefined> {
  const stream = streams.get(key);
  if (!stream) return undefined;
  streams.delete(key);
  await stream.display.stop();
  return stream.messageId as Id | undefined;
}
