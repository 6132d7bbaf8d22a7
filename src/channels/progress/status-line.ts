/**
 * One status message per running turn, edited as the turn moves on and removed when the answer is delivered.
 * It appears only once the first update is `intervalMs` old and the turn still runs, so a quick tool call
 * does not flash a message that is deleted a moment later. Edits are throttled to one per `intervalMs` (Telegram allows about one edit per second per chat, Slack's
 * chat.update is rate-limited per channel too): updates in between are coalesced into the latest text. A
 * failed edit is logged and never reaches the turn; a platform "retry after" pauses the edits that long; after
 * `MAX_FAILURES` failures in a row the status line gives up for this turn.
 */
export interface StatusSink {
  /** Shows `text`: sends the status message the first time, edits it afterwards. */
  show(text: string): Promise<void>;
  /** Deletes the status message, if one was sent. */
  remove(): Promise<void>;
}

export interface StatusLineOptions {
  sink: StatusSink;
  intervalMs: number;
  /** How long the platform asked us to wait (a 429's retry_after), or null for any other error. */
  retryAfterMs(err: unknown): number | null;
  channel: string;
}

export interface StatusLine {
  update(text: string): void;
  /** Stops further edits, waits for the one in flight and removes the message. Never throws. */
  finish(): Promise<void>;
}

const MAX_FAILURES = 3;
const log = (fields: Record<string, unknown>) => console.log(JSON.stringify(fields));

export function createStatusLine(options: StatusLineOptions): StatusLine {
  const { sink, intervalMs, channel } = options;
  let latest = "";
  let shown = "";
  let nextAt = 0;
  let failures = 0;
  let finished = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let chain = Promise.resolve();

  const flush = () => {
    timer = undefined;
    chain = chain.then(async () => {
      if (finished || latest === shown) return;
      const snapshot = latest;
      try {
        await sink.show(snapshot);
        shown = snapshot;
        failures = 0;
        nextAt = Date.now() + intervalMs;
      } catch (err) {
        const wait = options.retryAfterMs(err);
        nextAt = Date.now() + (wait ?? intervalMs);
        if (wait === null) failures++;
        log({ event: "status_line_failed", channel, error: String(err).slice(0, 200), retryAfterMs: wait });
      }
      schedule();
    });
  };
  const schedule = () => {
    if (finished || timer || latest === shown || failures >= MAX_FAILURES) return;
    timer = setTimeout(flush, Math.max(0, nextAt - Date.now()));
  };

  return {
    update(text) {
      latest = text;
      if (!nextAt) nextAt = Date.now() + intervalMs;
      schedule();
    },
    async finish() {
      finished = true;
      if (timer) clearTimeout(timer);
      await chain;
      try {
        await sink.remove();
      } catch (err) {
        log({ event: "status_line_remove_failed", channel, error: String(err).slice(0, 200) });
      }
    },
  };
}

/** Status lines of running turns in this isolate, so delivery can remove the one its turn showed. */
const running = new Map<string, StatusLine>();

export function trackStatusLine(key: string, line: StatusLine): StatusLine {
  running.set(key, line);
  return line;
}

/** Removes a turn's status line (before its answer goes out); a no-op when the turn showed none. */
export async function finishStatusLine(key: string): Promise<void> {
  const line = running.get(key);
  if (!line) return;
  running.delete(key);
  await line.finish();
}
