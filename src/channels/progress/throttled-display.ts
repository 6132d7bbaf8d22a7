/**
 * The rhythm every live message of a turn keeps (Telegram's streamed preview, Feishu's card, the status line):
 * the latest text is shown at most once per `intervalMs`, updates in between are coalesced into the newest, a
 * platform's "retry after" pauses the display that long, and a failure never reaches the turn. Telegram allows
 * about one edit per second per chat; Slack's chat.update and Feishu's message PATCH are rate-limited too.
 */
export interface ThrottledDisplayOptions {
  intervalMs: number;
  /** Shows a snapshot of the latest text (sends the message the first time, edits it afterwards). */
  show(text: string): Promise<void>;
  /** How long the platform asked us to wait after this failure (ms), or null for any other error. */
  retryAfterMs(err: unknown): number | null;
  /** Logs a failed show (the display itself goes on). */
  onFailure(err: unknown, retryAfterMs: number | null): void;
  /** Nothing is shown before this time (default: one interval after the first update). */
  notBefore?: number;
  /** Gives up for this turn after this many failures in a row that were not "retry after" (default: never). */
  maxFailures?: number;
}

export interface ThrottledDisplay {
  /** The text to show next (replaces any not yet shown). */
  set(text: string): void;
  /** Stops further shows and waits for the one in flight. */
  stop(): Promise<void>;
}

export function createThrottledDisplay(options: ThrottledDisplayOptions): ThrottledDisplay {
  const { intervalMs } = options;
  const maxFailures = options.maxFailures ?? Number.POSITIVE_INFINITY;
  let latest = "";
  let shown = "";
  let nextAt = options.notBefore ?? 0;
  let failures = 0;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let chain = Promise.resolve();

  const flush = () => {
    timer = undefined;
    chain = chain.then(async () => {
      if (stopped || latest === shown) return;
      // An update that arrived while the previous show was in flight queued this flush early: wait out the interval.
      if (Date.now() < nextAt) return schedule();
      const snapshot = latest;
      let waitMs = intervalMs;
      try {
        await options.show(snapshot);
        shown = snapshot;
        failures = 0;
      } catch (err) {
        const retryAfter = options.retryAfterMs(err);
        if (retryAfter === null) failures++;
        else waitMs = Math.max(waitMs, retryAfter);
        options.onFailure(err, retryAfter);
      }
      nextAt = Date.now() + waitMs;
      schedule();
    });
  };
  const schedule = () => {
    if (stopped || timer || latest === shown || failures >= maxFailures) return;
    timer = setTimeout(flush, Math.max(0, nextAt - Date.now()));
  };

  return {
    set(text) {
      latest = text;
      if (!nextAt) nextAt = Date.now() + intervalMs;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await chain;
    },
  };
}
