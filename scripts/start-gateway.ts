/**
 * `npm start`: the local gateway. Applies the local D1 migrations, starts the sandbox runner (when present) and
 * `wrangler dev` beside it, prints one line when the gateway answers, and stops everything on Ctrl-C.
 * Restarts `wrangler dev` when `.dev.vars` changes (wrangler reads it only at start) and long-polls Telegram
 * through the gateway when `channels.telegram.mode` asks for it (no public URL needed).
 * Arguments after `--` go to `wrangler dev` unchanged.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { watchConfigFile } from "./lib/config-watch.ts";
import { manage, signalGroup, stopGroup, type ManagedChild } from "./lib/child-group.ts";
import { watchDevVars } from "./lib/dev-vars-watch.ts";
import { parseGatewayArgs, type GatewayArgs } from "./lib/gateway-args.ts";
import { answersHttp, freePortFrom, isListening, isPortFree, waitUntil } from "./lib/net-wait.ts";
import { projectRoot } from "./lib/project-root.ts";
import { startTelegramPoller, type TelegramPoller } from "./lib/telegram-poller.ts";
import { runWranglerCaptured, spawnWrangler } from "./lib/wrangler.ts";

const log = (line: string) => process.stdout.write(`[nanobot] ${line}\n`);
const logError = (line: string) => process.stderr.write(`[nanobot] ${line}\n`);

/** A fresh clone has no nanobot.config.json (gitignored): an empty one shows where the config goes. */
export function ensureConfigFile(root = projectRoot): boolean {
  const file = path.join(root, "nanobot.config.json");
  if (existsSync(file)) return false;
  writeFileSync(file, "{}\n");
  return true;
}

async function applyMigrations(args: GatewayArgs): Promise<void> {
  const cmd = ["d1", "migrations", "apply", "DB", "--local"];
  if (args.persistTo) cmd.push("--persist-to", args.persistTo);
  const started = Date.now();
  const result = await runWranglerCaptured(cmd);
  if (result.code !== 0) {
    process.stderr.write(result.output);
    throw Object.assign(new Error(`Applying the local D1 migrations failed (exit ${result.code}); see the output above.`), { exitCode: result.code });
  }
  log(`local D1 migrations applied (${Date.now() - started} ms)`);
}

interface Runner {
  managed: ManagedChild;
  url: string;
  secret: string;
}

async function startRunner(args: GatewayArgs): Promise<Runner | null> {
  const main = path.join(projectRoot, "sandbox-runner", "src", "main.ts");
  if (!existsSync(main)) {
    log("sandbox runner not found (sandbox-runner/src/main.ts); the exec tool stays unavailable");
    return null;
  }
  const port = await freePortFrom(8788, [args.port]);
  const secret = randomBytes(24).toString("hex");
  const root = path.resolve(projectRoot, args.persistTo ?? ".wrangler", "sandbox");
  mkdirSync(root, { recursive: true });
  const child = spawn(process.execPath, [main], {
    cwd: projectRoot,
    env: { ...process.env, RUNNER_PORT: String(port), RUNNER_SECRET: secret, RUNNER_ROOT: root },
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  const managed = manage("sandbox runner", child);
  const up = await waitUntil(() => isListening(port), 10_000, managed.isRunning);
  if (!up) log(`warning: the sandbox runner did not start listening on port ${port}; exec will fail until it does`);
  return { managed, url: `http://127.0.0.1:${port}`, secret };
}

function wranglerDevArgs(args: GatewayArgs, runner: Runner | null, pollSecret: string): string[] {
  const out = ["dev", "--local", "--test-scheduled"];
  if (!args.hasIp) out.push("--ip", args.ip);
  if (!args.hasPort) out.push("--port", String(args.port));
  if (runner) out.push("--var", `SANDBOX_RUNNER_URL:${runner.url}`, "--var", `SANDBOX_RUNNER_SECRET:${runner.secret}`);
  // Opens POST /local/telegram/poll for this start only (src/channels/telegram/poll-route.ts).
  out.push("--var", `NANOBOT_LOCAL_POLL_SECRET:${pollSecret}`);
  return [...out, ...args.passthrough];
}

export async function startGateway(argv: string[]): Promise<number> {
  const args = parseGatewayArgs(argv);
  // Checked up front: otherwise the readiness probe could mistake whatever holds the port for our gateway.
  if (args.port !== 0 && !(await isPortFree(args.port, args.ip === "*" ? "0.0.0.0" : args.ip))) {
    throw new Error(`Port ${args.port} on ${args.ip} is already in use (another gateway still running?). Stop it, or pick another port: npm start -- --port ${args.port + 1}`);
  }
  if (ensureConfigFile()) log("created an empty nanobot.config.json (run `npx nanobot onboard` to fill it in)");
  await applyMigrations(args);
  // The Worker gets nanobot.config.json as text through a generated module; saving the file reloads the gateway.
  const configWatch = watchConfigFile({ root: projectRoot, log, logError });

  const children: ManagedChild[] = [];
  // Last line of defence: if this process dies of an exception, take the children with it.
  process.on("exit", () => children.forEach((c) => signalGroup(c, "SIGKILL")));

  const runner = await startRunner(args);
  if (runner) children.push(runner.managed);
  const pollSecret = randomBytes(24).toString("hex");
  // stdin is not passed on: wrangler's hotkeys would put the terminal in raw mode and swallow Ctrl-C.
  const spawnDev = () => manage("wrangler", spawnWrangler(wranglerDevArgs(args, runner, pollSecret), { stdio: ["ignore", "inherit", "inherit"], detached: true }));
  let wrangler = spawnDev();
  children.push(wrangler);
  let poller: TelegramPoller | null = null;

  let stopping: Promise<number> | null = null;
  const stopAll = (signal: NodeJS.Signals, code: number | null) =>
    (stopping ??= (async () => {
      configWatch.stop();
      await poller?.stop();
      const codes = await Promise.all(children.map((c) => stopGroup(c, signal)));
      return code ?? codes[children.indexOf(wrangler)];
    })());
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      if (!stopping) log(`${signal} received, stopping the gateway`);
      void stopAll(signal === "SIGHUP" ? "SIGTERM" : signal, null);
    });
  }
  runner?.managed.exited.then((code) => {
    if (!stopping) log(`warning: the sandbox runner exited (code ${code}); exec is unavailable until the gateway restarts`);
  });

  const host = args.ip === "0.0.0.0" || args.ip === "*" ? "127.0.0.1" : args.ip;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${args.port}`;
  const whenReady = (dev: ManagedChild) =>
    void waitUntil(() => answersHttp(`${url}/health`), 120_000, () => dev.isRunning() && !stopping).then(async (ready) => {
      if (!ready) return;
      log(`gateway ready at ${url}${runner ? ` (sandbox runner at ${runner.url})` : ""}; press Ctrl-C to stop`);
      await configWatch.ready(url);
      if (!stopping) poller ? poller.resume() : (poller = startTelegramPoller({ url, secret: pollSecret, log, root: projectRoot }));
    });
  whenReady(wrangler);

  // .dev.vars → restart wrangler dev (same runner, same vars); the poller waits meanwhile.
  let restarting: Promise<void> | null = null;
  let changedAgain = false;
  const restart = (): void => {
    if (stopping) return;
    if (restarting) {
      changedAgain = true;
      return;
    }
    log(".dev.vars changed: restarting wrangler dev to load it");
    restarting = (async () => {
      poller?.pause();
      await stopGroup(wrangler, "SIGTERM");
      if (!stopping) children[children.indexOf(wrangler)] = wrangler = spawnDev();
      whenReady(wrangler);
      restarting = null;
      // Written again while the old one stopped: the new wrangler may have read it before that write.
      if (changedAgain) {
        changedAgain = false;
        restart();
      }
    })();
  };
  const devVars = watchDevVars(projectRoot, restart);

  let wranglerCode: number;
  for (;;) {
    const dev = wrangler;
    wranglerCode = await dev.exited;
    await restarting;
    if (wrangler === dev || stopping) break; // a restart replaced it: wait for the new one
  }
  devVars.close();
  // wrangler stopped on its own (crash, port in use, …): take the runner down and report wrangler's code.
  return stopAll("SIGTERM", stopping ? null : wranglerCode);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  startGateway(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error & { exitCode?: number }) => {
      logError(`error: ${err.message}`);
      process.exit(err.exitCode ?? 1);
    },
  );
}
