/**
 * Guards against noise coming back in green runs: the `Request.cf` download on every `wrangler dev` start (an
 * ENOTFOUND stack offline) and Vite's "Sourcemap … points to missing source files" for dependencies in the
 * Workers test pool.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { wranglerEnv } from "../../scripts/lib/wrangler.ts";
import { dependencySourcemaps } from "../support/dependency-sourcemaps.ts";

const root = path.resolve(import.meta.dirname, "..", "..");
const requireFromRoot = createRequire(path.join(root, "package.json"));

describe("wrangler dev offline", () => {
  it("should switch off the Request.cf download unless the user switches it on", () => {
    expect(wranglerEnv().CLOUDFLARE_CF_FETCH_ENABLED).toBe("false");
    const before = process.env.CLOUDFLARE_CF_FETCH_ENABLED;
    process.env.CLOUDFLARE_CF_FETCH_ENABLED = "true";
    try {
      expect(wranglerEnv().CLOUDFLARE_CF_FETCH_ENABLED).toBe("true");
    } finally {
      if (before === undefined) delete process.env.CLOUDFLARE_CF_FETCH_ENABLED;
      else process.env.CLOUDFLARE_CF_FETCH_ENABLED = before;
    }
  });

  it("should use the switch the miniflare that wrangler runs actually reads", () => {
    // A renamed variable after an upgrade would silently bring the ENOTFOUND stack back.
    const fromWrangler = createRequire(requireFromRoot.resolve("wrangler/package.json"));
    const miniflare = readFileSync(fromWrangler.resolve("miniflare"), "utf8");
    expect(miniflare).toMatch(/CF_FETCH_ENABLED_ENV_VAR = "CLOUDFLARE_CF_FETCH_ENABLED"/);
    expect(miniflare).toContain('return envValue.toLowerCase() === "false"');
  });
});

describe("dependency source maps in the Workers test pool", () => {
  const plugin = dependencySourcemaps();
  const load = (file: string) => (plugin.load as (id: string) => { code: string; map: null } | null).call({}, file);

  it("should load a dependency whose map names unshipped sources without that map", () => {
    const file = requireFromRoot.resolve("@modelcontextprotocol/sdk/server/mcp.js");
    expect(readFileSync(file, "utf8")).toMatch(/\/\/# sourceMappingURL=mcp\.js\.map\s*$/);
    const loaded = load(file);
    expect(loaded?.map).toBeNull();
    expect(loaded?.code).not.toContain("sourceMappingURL");
    expect(loaded?.code).toContain("class McpServer");
  });

  it("should leave dependencies with complete maps and project files to Vite", () => {
    const openai = requireFromRoot.resolve("openai").replace(/\.js$/, ".mjs");
    expect(readFileSync(openai, "utf8")).toContain("sourceMappingURL=");
    expect(load(openai)).toBeNull();
    expect(load(path.join(root, "scripts", "lib", "wrangler.ts"))).toBeNull();
  });
});
