/**
 * One chat message that shows a turn's answer while it streams, for platforms that can edit a message
 * (Telegram's preview, Feishu's card). It is sent only after the first interval, so a quick answer arrives as
 * one message with no flicker, then edited at most every `intervalMs` with the text so far; a platform's
 * "slow down" pauses the edits for as long as it asks. Failures only log: the final delivery does not depend
 * on the preview. `finishStreamedMessage` stops it and hands its id to delivery, which puts the final text in.
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
  shown: string;
  nextEditAt: number;
  timer?: ReturnType<typeof setTimeout>;
  chain: Promise<void>;
  finished: boolean;
}

/** Streams of the running turns in this isolate, by turn key. */
const streams = new Map<string, Stream<unknown>>();

/** Starts the stream for one turn; feed it with the returned `append`. */
export function startStreamedMessage<Id>(args: StreamedMessageArgs<Id>): { append(text: string): void } {
  const stream: Stream<Id> = { messageId: args.messageId, text: "", shown: "", nextEditAt: Date.now() + args.intervalMs, chain: Promise.resolve(), finished: false };
  streams.set(args.key, stream as Stream<unknown>);
  const flush = () => {
    stream.timer = undefined;
    stream.chain = stream.chain.then(async () => {
      if (stream.finished) return;
      // A delta that arrived while the previous edit was in flight queued this flush early: wait out the interval.
      if (Date.now() < stream.nextEditAt) return schedule();
      const snapshot = stream.text.slice(0, args.maxChars);
      if (!snapshot.trim() || snapshot === stream.shown) return;
      let waitMs = args.intervalMs;
      try {
        if (stream.messageId === undefined) {
          stream.messageId = await args.send(snapshot);
          if (stream.messageId !== undefined) args.onMessageId?.(stream.messageId);
        } else await args.edit(stream.messageId, snapshot);
        stream.shown = snapshot;
      } catch (err) {
        const retryAfter = args.retryAfterMs(err);
        if (retryAfter !== null) waitMs = Math.max(waitMs, retryAfter);
        else console.log(JSON.stringify({ event: args.failureEvent, error: String(err).slice(0, 200) }));
      }
      stream.nextEditAt = Date.now() + waitMs;
      schedule();
    });
  };
  const schedule = () => {
    if (stream.finished || stream.timer || stream.text === stream.shown) return;
    stream.timer = setTimeout(flush, Math.max(0, stream.nextEditAt - Date.now()));
  };
  return {
    append(text) {
      stream.text += text;
      schedule();
    },
  };
}

/** Stops a turn's stream and returns its message id (to be edited into the final reply), if one was sent. */
export async function finishStreamedMessage<Id>(key: string): Promise<Id | undefined> {
  const stream = streams.get(key);
  if (!stream) return undefined;
  stream.finished = true;
  if (stream.timer) clearTimeout(stream.timer);
  await stream.chain;
  streams.delete(key);
  return stream.messageId as Id | undefined;
}
