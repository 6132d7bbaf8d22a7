/**
 * What lazy loading saves in workerd (docs/benchmarks.md, "Lazy loading"). Three Workers bundled the way wrangler
 * bundles (esbuild, one file, no code splitting): none of the heavy libraries; the same libraries imported
 * statically; and imported with `await import("pkg")` inside the handler. esbuild inlines such a dynamic import
 * into the bundle behind a lazy initializer (`Promise.resolve().then(() => (init_pkg(), pkg_exports))`), so the
 * upload size stays the same but the library's top level is evaluated only when a request first needs it.
 * For each: workerd's CPU to start (compile + evaluate), for a first plain request, and for the first request that
 * uses the libraries; medians over `BENCH_LAZY_RUNS` (default 5) fresh runtimes.
 *
 * `node bench/lazy-import.ts` prints JSON.
 */
import { build } from "esbuild";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { repoRoot } from "../tests/support/run-cli.ts";
import { COMPATIBILITY_DATE, COMPATIBILITY_FLAGS } from "./lib/production-worker.ts";
import { summarize } from "./lib/stats.ts";
import { processCpuNs, workerdChildren } from "./lib/workerd-cpu.ts";

const RUNS = Number(process.env.BENCH_LAZY_RUNS ?? 5);
/** The libraries nanobot needs only for some features: web_fetch, MCP, the Anthropic backend. */
const LIBRARIES = ["linkedom", "turndown", "@mozilla/readability", "@modelcontextprotocol/sdk/client/index.js", "@modelcontextprotocol/sdk/client/streamableHttp.js", "@anthropic-ai/sdk"];

const variants: Record<string, string> = {
  none: `export default { fetch() { return new Response("ok"); } };`,
  static: `${LIBRARIES.map((lib, i) => `import * as l${i} from "${lib}";`).join("\n")}
globalThis.keep = [${LIBRARIES.map((_, i) => `l${i}`).join(", ")}];
export default { fetch() { return new Response("ok"); } };`,
  dynamic: `export default { async fetch(request) {
  if (request.url.endsWith("/use")) globalThis.keep = await Promise.all([${LIBRARIES.map((lib) => `import("${lib}")`).join(", ")}]);
  return new Response("ok");
} };`,
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cpuMs = () => workerdChildren().reduce((sum, pid) => sum + processCpuNs(pid), 0) / 1e6;

async function bundle(source: string): Promise<string> {
  const out = await build({
    stdin: { contents: source, resolveDir: repoRoot, loader: "js" },
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["browser", "module", "main"],
    minify: true,
    write: false,
    external: ["node:*", "cloudflare:*"],
    logLevel: "silent",
  });
  return out.outputFiles[0].text;
}

export async function runLazyImportBench() {
  const scripts = Object.fromEntries(await Promise.all(Object.entries(variants).map(async ([k, v]) => [k, await bundle(v)] as const)));
  const samples: Record<string, { startup: number[]; firstRequest: number[]; firstUse: number[] }> = {};
  for (let run = 0; run < RUNS; run++) {
    for (const [name, script] of Object.entries(scripts)) {
      const mf = new Miniflare(convertV4MiniflareOptions({ modules: true, script, compatibilityDate: COMPATIBILITY_DATE, compatibilityFlags: COMPATIBILITY_FLAGS } as any));
      await mf.ready;
      await sleep(200);
      const c0 = cpuMs();
      await (await mf.dispatchFetch("http://bench/")).text();
      await sleep(100);
      const c1 = cpuMs();
      await (await mf.dispatchFetch("http://bench/use")).text();
      await sleep(100);
      const c2 = cpuMs();
      await mf.dispose();
      const s = (samples[name] ??= { startup: [], firstRequest: [], firstUse: [] });
      s.startup.push(c0);
      s.firstRequest.push(c1 - c0);
      s.firstUse.push(c2 - c1);
    }
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, s]) => [
      name,
      { bundleKiB: Math.round(scripts[name].length / 1024), startupCpuMs: summarize(s.startup), firstRequestCpuMs: summarize(s.firstRequest), firstUseCpuMs: summarize(s.firstUse) },
    ]),
  );
}

if (import.meta.main) {
  runLazyImportBench()
    .then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`))
    .catch((err) => (process.stderr.write(`${err?.stack ?? err}\n`), process.exit(1)));
}
