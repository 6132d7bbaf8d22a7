/**
 * `npm start`: keeps the Worker's config module in step with nanobot.config.json. Every save rewrites the module,
 * wrangler dev rebuilds and reloads by itself (no restart), and the gateway's terminal says whether the new
 * config is valid: the problem with line/column while it is not, "fixed, config OK" when it recovers.
 */
import { type FSWatcher, watch } from "node:fs";
import { CONFIG_FILE_NAME, readProjectConfig, writeProjectConfigModule } from "./config-module.ts";

/** Sent by the Worker on /health (src/api/config-middleware.ts): which module revision it is running. */
const REVISION_HEADER = "x-nanobot-config-revision";
/** How long a reload may take before we say so; wrangler dev rebuilds in about a second, more under load. */
const RELOAD_TIMEOUT_MS = 30_000;
/** Editors save in several steps (truncate, write, rename): one rewrite per burst of events. */
const DEBOUNCE_MS = 100;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ConfigWatchOptions {
  root: string;
  log: (line: string) => void;
  logError: (line: string) => void;
}

export interface ConfigWatch {
  /** Once the gateway answers at `url`: prints the config problem, if any, and from then on reports every change. */
  ready(url: string): Promise<void>;
  stop(): void;
}

interface Health {
  revision: string | null;
  problem: string | null;
}

async function health(url: string): Promise<Health | null> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5_000) });
    const body = (await res.json().catch(() => ({}))) as { error?: string };
    return { revision: res.headers.get(REVISION_HEADER), problem: res.status === 503 ? (body.error ?? "see GET /health") : null };
  } catch {
    return null;
  }
}

/** Writes the config module now (so wrangler dev starts with the current text) and watches the file. */
export function watchConfigFile({ root, log, logError }: ConfigWatchOptions): ConfigWatch {
  let text = readProjectConfig(root).text;
  let revision = writeProjectConfigModule(root);
  let url: string | null = null;
  let lastProblem: string | null = null;
  let timer: NodeJS.Timeout | undefined;
  let reporting = Promise.resolve();
  let stopped = false;

  const report = async (wanted: string) => {
    const deadline = Date.now() + RELOAD_TIMEOUT_MS;
    while (!stopped && url && wanted === revision && Date.now() < deadline) {
      const now = await health(url);
      if (now && now.revision === wanted) {
        if (now.problem) logError(`${CONFIG_FILE_NAME} changed, config ${lastProblem ? "still " : ""}invalid: ${now.problem}`);
        else log(lastProblem ? `${CONFIG_FILE_NAME} fixed, config OK` : `${CONFIG_FILE_NAME} changed, config reloaded`);
        lastProblem = now.problem;
        return;
      }
      await sleep(200);
    }
    if (!stopped && wanted === revision) logError(`${CONFIG_FILE_NAME} changed, but the gateway has not reloaded it within ${RELOAD_TIMEOUT_MS / 1000} s`);
  };

  const onChange = () => {
    const next = readProjectConfig(root).text;
    if (next === text) return;
    text = next;
    revision = writeProjectConfigModule(root);
    const wanted = revision;
    reporting = reporting.then(() => report(wanted));
  };

  // The folder, not the file: editors that save by renaming would end a watch on the file itself.
  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(root, (_event, name) => {
      if (name && name !== CONFIG_FILE_NAME) return;
      clearTimeout(timer);
      timer = setTimeout(onChange, DEBOUNCE_MS);
    });
  } catch (err) {
    logError(`warning: cannot watch ${CONFIG_FILE_NAME} for changes (${(err as Error).message}); restart npm start after editing it`);
  }

  return {
    async ready(gatewayUrl) {
      url = gatewayUrl;
      const now = await health(gatewayUrl);
      lastProblem = now?.problem ?? null;
      if (!lastProblem) return;
      // NANOBOT_CONFIG comes from `--var` and is fixed for the run; the file is watched.
      const fix = lastProblem.startsWith("NANOBOT_CONFIG:")
        ? "NANOBOT_CONFIG is read when npm start starts: restart it with a fixed value"
        : `fix ${CONFIG_FILE_NAME} and save, the gateway reloads by itself`;
      logError(`config invalid: ${lastProblem}; ${fix}`);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
