/**
 * The Node side of local Telegram polling (`npm start`): calls the gateway's `POST /local/telegram/poll` in a
 * loop (each call is one `getUpdates` long poll inside the Worker, which stores the updates and advances the
 * offset), so a bot works without a public URL. Prints one line when polling starts, stops or changes; never
 * a stack. While Telegram is disabled or in webhook mode it re-checks rarely (every request shows up in
 * wrangler's log) but at once, and then every 2 s for a while, when `nanobot.config.json` changes.
 */
import { watch, type FSWatcher } from "node:fs";

export interface TelegramPollerOptions {
  /** Gateway base URL, e.g. http://127.0.0.1:8787. */
  url: string;
  /** The NANOBOT_LOCAL_POLL_SECRET value given to `wrangler dev`. */
  secret: string;
  log: (line: string) => void;
  /** Project folder: a change of nanobot.config.json there triggers a re-check. */
  root?: string;
  /** Re-check interval while there is nothing to poll (disabled, webhook mode). */
  idleRecheckMs?: number;
}

export interface TelegramPoller {
  /** Aborts the call in flight and waits (while wrangler restarts); no lines about the gateway being away. */
  pause(): void;
  resume(): void;
  /** Aborts the call in flight and ends the loop. */
  stop(): Promise<void>;
}

interface PollAnswer {
  state?: "polling" | "disabled" | "webhook" | "conflict" | "error";
  status?: string;
  mode?: string;
  bot?: string;
  reason?: string;
  error?: string;
}

const FAST_RECHECK_MS = 2_000;
const FAST_WINDOW_MS = 30_000;
const MAX_BACKOFF_MS = 30_000;
/** The Worker holds a poll for up to 25 s; more than that plus storing a batch means something is stuck. */
const REQUEST_TIMEOUT_MS = 90_000;

export function startTelegramPoller(options: TelegramPollerOptions): TelegramPoller {
  const idleMs = options.idleRecheckMs ?? 60_000;
  let stopped = false;
  let paused = false;
  let inFlight: AbortController | null = null;
  let wakeSleep: (() => void) | null = null;
  let fastUntil = 0;
  let lastLine = "";
  let everPolled = false;
  let backoffMs = 1_000;
  let failingSince = 0;

  const say = (key: string, line: string) => {
    if (key === lastLine) return;
    lastLine = key;
    options.log(`telegram: ${line}`);
  };
  const wake = () => {
    inFlight?.abort();
    wakeSleep?.();
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeSleep = null;
        resolve();
      }
      wakeSleep = done;
    });

  let watcher: FSWatcher | null = null;
  if (options.root) {
    try {
      watcher = watch(options.root, (_event, name) => {
        if (name !== "nanobot.config.json") return;
        fastUntil = Date.now() + FAST_WINDOW_MS;
        if (!lastLine.startsWith("polling")) wakeSleep?.();
      });
    } catch {
      // No watcher (unusual file systems): the idle re-check still finds the change.
    }
  }

  /** Handles one answer; returns how long to wait before the next call. */
  const handle = (status: number, body: PollAnswer): number => {
    const idle = () => (Date.now() < fastUntil ? FAST_RECHECK_MS : idleMs);
    if (body.state === "polling") {
      everPolled = true;
      backoffMs = 1_000;
      failingSince = 0;
      say(`polling ${body.bot} ${body.mode}`, `polling getUpdates for ${body.bot} (mode ${body.mode})`);
      return 0;
    }
    if (body.state === "disabled") {
      if (everPolled) say("disabled", `polling stopped (${body.reason})`);
      else lastLine = "disabled";
      return idle();
    }
    if (body.state === "webhook") {
      say("webhook", 'mode "webhook": not polling; updates arrive at POST /webhooks/telegram (needs a public URL)');
      return idle();
    }
    if (body.state === "conflict") {
      const webhookSet = /webhook/i.test(body.error ?? "");
      say(
        `conflict ${webhookSet}`,
        webhookSet
          ? `getUpdates refused for ${body.bot}: a webhook is set (${body.error}), e.g. by a deployed gateway. ` +
              'Keep it: set channels.telegram.mode to "webhook" here. Or poll locally: delete it with curl "https://api.telegram.org/bot$TELEGRAM_BOT_TOKEN/deleteWebhook" ' +
              "(the deployed bot then gets nothing until `npx nanobot deploy` registers it again). Checking again every 15 s"
          : `getUpdates refused for ${body.bot}: another process is polling this bot (${body.error}). Stop it; checking again every 15 s`,
      );
      return 15_000;
    }
    if (status === 500 && body.status === "error") {
      // At start the gateway itself already warned about the config; a bot that stops polling says why.
      if (everPolled) say("config", `polling paused: the configuration is invalid (${body.error})`);
      else lastLine = "config";
      return 3_000;
    }
    return failure(body.error ?? `the gateway answered ${status}`);
  };

  const failure = (error: string): number => {
    const wait = backoffMs;
    backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    say(`error ${error}`, `polling failed (${error}); retrying with back-off (now ${Math.round(wait / 1000)} s)`);
    return wait;
  };

  const loop = (async () => {
    while (!stopped) {
      if (paused) {
        await sleep(1_000);
        continue;
      }
      inFlight = new AbortController();
      let waitMs: number;
      try {
        // Until polling is confirmed, ask without waiting (timeout=0): the "polling" line should not take 25 s.
        const quick = !lastLine.startsWith("polling") ? "?timeout=0" : "";
        const res = await fetch(`${options.url}/local/telegram/poll${quick}`, {
          method: "POST",
          headers: { authorization: `Bearer ${options.secret}` },
          signal: AbortSignal.any([inFlight.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
        });
        const body = (await res.json().catch(() => ({}))) as PollAnswer;
        waitMs = res.status === 404 ? failure("the gateway has no local poll route (404)") : handle(res.status, body);
      } catch (err) {
        if (stopped || paused || inFlight.signal.aborted) continue;
        // Wrangler reloading after a code or config change drops connections for a moment: only a gateway
        // away for longer is worth a line.
        failingSince ||= Date.now();
        waitMs = Date.now() - failingSince < 10_000 ? 1_000 : failure(`the gateway did not answer: ${(err as Error).cause ? String(((err as Error).cause as Error).message ?? (err as Error).cause) : (err as Error).message}`);
      }
      if (waitMs > 0 && !stopped) await sleep(waitMs);
    }
  })();

  return {
    pause() {
      paused = true;
      wake();
    },
    resume() {
      paused = false;
      failingSince = 0;
      wakeSleep?.();
    },
    async stop() {
      stopped = true;
      watcher?.close();
      wake();
      await loop;
    },
  };
}
