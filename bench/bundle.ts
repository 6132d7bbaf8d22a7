/** Bundle size of the deployable Worker: `wrangler deploy --dry-run --minify`, gzipped. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { runWranglerCaptured } from "../scripts/lib/wrangler.ts";

export interface BundleResult {
  bytes: number;
  gzipBytes: number;
}

export async function measureBundle(): Promise<BundleResult> {
  const out = mkdtempSync(path.join(os.tmpdir(), "nanobot-bundle-"));
  try {
    const result = await runWranglerCaptured(["deploy", "--dry-run", "--minify", "--env", "production", "--outdir", out]);
    if (result.code !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${result.output.slice(-2000)}`);
    let bytes = 0;
    let gzipBytes = 0;
    for (const name of readdirSync(out)) {
      const file = path.join(out, name);
      if (!statSync(file).isFile() || name.endsWith(".map")) continue;
      const content = readFileSync(file);
      bytes += content.length;
      gzipBytes += gzipSync(content, { level: 9 }).length;
    }
    return { bytes, gzipBytes };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
