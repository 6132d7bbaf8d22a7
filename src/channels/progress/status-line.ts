import { createThrottledDisplay } from "./throttled-display.ts";

/**
 * One status message per running turn, edited as the turn moves on and removed when the answer is delivered.
 * It appears only once the first update is `intervalMs` old and the turn still runs, so a quick tool call
 * does not flash a message that is deleted a moment later. Edits keep the rhythm of throttled-display.ts;
 * after `MAX_FAILURES` failures in a row the status line gives up for this turn.
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
  const { sink, channel } = options;
  const display = createThrottledDisplay({
    intervalMs: options.intervalMs,
    show: (text) => sink.show(text),
    retryAfterMs: options.retryAfterMs,
    onFailure: (err, retryAfterMs) => log({ event: "status_line_failed", channel, error: String(err).slice(0, 200), retryAfterMs }),
    maxFailures: MAX_FAILURES,
  });
  return {
    update: (text) => display.set(text),
    async finish() {
      await display.stop();
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
