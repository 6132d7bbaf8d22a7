/**
 * Builds the WebUI page (src/webui/client) into webui-dist/, which wrangler.toml serves through [assets].
 * The output is gitignored and rebuilt by scripts/prepare.ts before start, test and deploy, so a fresh clone
 * needs no manual step.
 */
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const root = path.resolve(import.meta.dirname, "..");
export const webuiDist = path.join(root, "webui-dist");
const client = path.join(root, "src/webui/client");

export async function buildWebui(): Promise<void> {
  rmSync(webuiDist, { recursive: true, force: true });
  mkdirSync(webuiDist, { recursive: true });
  await build({
    entryPoints: { app: path.join(client, "main.ts"), "app-style": path.join(client, "styles.css") },
    outdir: webuiDist,
    bundle: true,
    minify: true,
    format: "esm",
    target: ["es2022", "chrome110", "safari16", "firefox115"],
    legalComments: "none",
    logLevel: "warning",
  });
  // esbuild names a CSS entry's output after the entry; the page links /app.css.
  copyFileSync(path.join(webuiDist, "app-style.css"), path.join(webuiDist, "app.css"));
  rmSync(path.join(webuiDist, "app-style.css"));
  copyFileSync(path.join(client, "index.html"), path.join(webuiDist, "index.html"));
}

if (import.meta.main) await buildWebui();
