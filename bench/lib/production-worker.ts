/**
 * The Worker as production runs it, in workerd through Miniflare's API (no `wrangler dev` proxy): the bundle
 * `wrangler deploy --dry-run --minify --outdir` produces (config text bundled through the `nanobot-config` alias,
 * as `npx nanobot deploy` does), with wrangler.toml's bindings: the three Durable Object classes on SQLite, D1
 * with the migrations applied, R2. Next to it, in the same workerd process, a trivial Worker → Durable Object echo
 * (the platform floor every figure is compared with). Outbound fetches go through a Node hook, so a benchmark can
 * read the CPU counter at the moment the Worker calls the model or the Bot API.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { readD1Migrations } from "@cloudflare/vitest-plugin";
import { convertV4MiniflareOptions, Miniflare, Response as MfResponse } from "miniflare";
import { writeConfigModule } from "../../scripts/lib/config-module.ts";
import { runWranglerCaptured } from "../../scripts/lib/wrangler.ts";
import { repoRoot } from "../../tests/support/run-cli.ts";
import { ECHO_WORKER_SOURCE } from "./echo-worker.ts";
import { workerdChildren } from "./workerd-cpu.ts";

/** wrangler.toml's top level (kept in step by tests/node/bench-harness.test.ts). */
export const COMPATIBILITY_DATE = "2026-08-01";
export const COMPATIBILITY_FLAGS = ["nodejs_compat"];

export interface BuiltWorker {
  dir: string;
  modules: Array<{ type: "ESModule" | "CompiledWasm" | "Text" | "Data"; path: string }>;
  bytes: number;
  dispose(): void;
}

/** Bundles the Worker exactly as `wrangler deploy` would (minified), with `config` as the bundled config text. */
export async function buildWorker(config: object): Promise<BuiltWorker> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "nanobot-prod-bench-"));
  const out = path.join(dir, "dist");
  const configModule = path.join(dir, "config", "nanobot-config.js");
  writeConfigModule(configModule, { name: "nanobot.config.json", text: JSON.stringify(config) }, "bench");
  // `--env ""`: the top-level environment (the production one adds the Workers AI binding, which needs a login).
  const result = await runWranglerCaptured(["deploy", "--dry-run", "--minify", "--env", "", "--outdir", out, "--alias", `nanobot-config:${configModule}`]);
  if (result.code !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`wrangler deploy --dry-run failed:\n${result.output.slice(-2000)}`);
  }
  const modules: BuiltWorker["modules"] = [];
  let bytes = 0;
  for (const name of readdirSync(out).sort((a, b) => (a === "index.js" ? -1 : b === "index.js" ? 1 : a.localeCompare(b)))) {
    const file = path.join(out, name);
    if (!statSync(file).isFile() || name.endsWith(".map") || name.endsWith(".md")) continue;
    const type = /\.m?js$/.test(name) ? "ESModule" : name.endsWith(".wasm") ? "CompiledWasm" : name.endsWith(".txt") ? "Text" : "Data";
    modules.push({ type, path: file });
    bytes += statSync(file).size;
  }
  return { dir: out, modules, bytes, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Called when the Worker fetches something; the function it returns is called once the answer is handed back. */
export type OutboundHook = (request: Request) => (() => void) | void;

export interface ProductionRuntime {
  /** Direct socket of the nanobot Worker (skips Miniflare's entry worker, which production does not have). */
  nanobotUrl: string;
  echoUrl: string;
  /** workerd processes of this runtime (for the CPU meter). */
  pids(): number[];
  /** Tail events received so far (only when started with `tails: true`). */
  tailEvents: Array<Record<string, any>>;
  /** Wall time from `new Miniflare` to ready. */
  startupMs: number;
  /** The Miniflare instance (storage access for experiments). */
  mf: Miniflare;
  dispose(): Promise<void>;
}

export interface RuntimeOptions {
  worker?: BuiltWorker;
  tails?: boolean;
  onOutbound?: OutboundHook;
  /** Opens workerd's V8 inspector (CPU profiles; bench/profile-turn.ts). */
  inspectorPort?: number;
}

/**
 * Starts workerd with the echo Worker and, given `worker`, the nanobot Worker. Without `worker` it is the
 * echo-only runtime the cold-start figure subtracts.
 */
export async function startRuntime(options: RuntimeOptions): Promise<ProductionRuntime> {
  const persist = mkdtempSync(path.join(os.tmpdir(), "nanobot-prod-state-"));
  const tailEvents: Array<Record<string, any>> = [];
  const tails = options.tails ? ["tail"] : undefined;
  const outbound = async (request: Request) => {
    const done = options.onOutbound?.(request);
    const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
    const res = await fetch(request.url, { method: request.method, headers: [...request.headers], body, redirect: "manual" });
    const answer = new MfResponse(await res.arrayBuffer(), { status: res.status, headers: [...res.headers] });
    done?.();
    return answer;
  };
  const workers: any[] = [
    {
      name: "echo",
      modules: true,
      script: ECHO_WORKER_SOURCE,
      compatibilityDate: COMPATIBILITY_DATE,
      compatibilityFlags: COMPATIBILITY_FLAGS,
      durableObjects: { ECHO: { className: "EchoDO", useSQLite: true } },
      // The same storage services as the nanobot Worker, so the echo-only runtime's startup differs only by our script.
      d1Databases: ["DB"],
      r2Buckets: ["WORKSPACE"],
      outboundService: outbound,
      unsafeDirectSockets: [{}],
      tails,
    },
  ];
  if (options.worker) {
    workers.unshift({
      name: "nanobot",
      modules: options.worker.modules,
      modulesRoot: options.worker.dir,
      compatibilityDate: COMPATIBILITY_DATE,
      compatibilityFlags: COMPATIBILITY_FLAGS,
      durableObjects: {
        SESSIONS: { className: "SessionDO", useSQLite: true },
        RATE_LIMITS: { className: "RateLimiterDO", useSQLite: true },
        WEBSOCKETS: { className: "WebSocketHubDO", useSQLite: true },
      },
      d1Databases: ["DB"],
      r2Buckets: ["WORKSPACE"],
      bindings: { NANOBOT_DOH_URL: "" },
      outboundService: outbound,
      unsafeDirectSockets: [{}],
      tails,
    });
  }
  if (options.tails) {
    workers.push({
      name: "tail",
      modules: true,
      script: `export default { async tail(events) { await fetch("http://collector/", { method: "POST", body: JSON.stringify(events) }); } };`,
      compatibilityDate: COMPATIBILITY_DATE,
      outboundService: async (request: Request) => {
        for (const event of JSON.parse(await request.text())) tailEvents.push(event);
        return new MfResponse("ok");
      },
    });
  }
  const started = performance.now();
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      workers,
      defaultPersistRoot: persist,
      d1Persist: path.join(persist, "d1"),
      r2Persist: path.join(persist, "r2"),
      durableObjectsPersist: path.join(persist, "do"),
      // The Worker's JSON log lines are produced (their CPU counts) but not printed over the bench's own output.
      handleStructuredLogs: () => {},
      ...(options.inspectorPort ? { inspectorPort: options.inspectorPort } : {}),
    } as any),
  );
  await mf.ready;
  const startupMs = performance.now() - started;
  if (options.worker) {
    const db = await mf.getD1Database("DB", "nanobot");
    for (const migration of await readD1Migrations(path.join(repoRoot, "migrations"))) {
      await db.batch(migration.queries.map((q) => db.prepare(q)));
    }
  }
  const nanobotUrl = options.worker ? (await mf.unsafeGetDirectURL("nanobot")).href.replace(/\/$/, "") : "";
  const echoUrl = (await mf.unsafeGetDirectURL("echo")).href.replace(/\/$/, "");
  return {
    nanobotUrl,
    echoUrl,
    pids: () => workerdChildren(),
    tailEvents,
    startupMs,
    mf,
    async dispose() {
      await mf.dispose();
      rmSync(persist, { recursive: true, force: true });
    },
  };
}
