/**
 * The config module carries a config text into the Worker bundle: `npm start` writes it from nanobot.config.json,
 * a deploy writes one with another text and swaps it in with `wrangler deploy --alias nanobot-config:<path>`.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { CONFIG_MODULE_SPECIFIER, writeConfigModule, writeProjectConfigModule } from "../../scripts/lib/config-module.ts";
import { wranglerCommand, wranglerEnv } from "../../scripts/lib/wrangler.ts";
import { repoRoot } from "../support/run-cli.ts";
import { createTempProject } from "../support/temp-project.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "nanobot-config-module-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("config module", () => {
  it("should export the text verbatim, broken JSON included, with the name used in messages", async () => {
    const text = '{\n  "agents": {},\n}\n// "quotes" and \\ backslashes and </script>\n';
    const written = writeConfigModule(path.join(dir, "broken.mjs"), { name: "production config", text });
    expect(written).toEqual({ specifier: CONFIG_MODULE_SPECIFIER, path: path.join(dir, "broken.mjs") });
    const loaded = (await import(written.path)).default as { name: string; text: string; revision: string };
    expect(loaded).toMatchObject({ name: "production config", text });
    expect(loaded.revision).toMatch(/\S/);
  });

  it("should give every rewrite of a project's module a new revision", () => {
    const project = createTempProject();
    try {
      const first = writeProjectConfigModule(project.dir);
      const second = writeProjectConfigModule(project.dir);
      expect(second).not.toBe(first);
      expect(readFileSync(project.file("src/config/nanobot-config.generated.js"), "utf8")).toContain(second);
    } finally {
      project.remove();
    }
  });

  it("should let wrangler deploy --alias bundle another config text than the project's", async () => {
    const marker = `deploy-marker-${Date.now()}`;
    const module = writeConfigModule(path.join(dir, "deploy", "config.js"), { name: "nanobot.config.json", text: `{"agents":{"defaults":{"model":"${marker}"}}}` });
    const out = path.join(dir, "bundle");
    const { command, args } = wranglerCommand(["deploy", "--dry-run", "--outdir", out, "--alias", `${module.specifier}:${module.path}`]);
    await promisify(execFile)(command, args, { cwd: repoRoot, env: wranglerEnv() });
    expect(readFileSync(path.join(out, "index.js"), "utf8")).toContain(marker);
  }, 60_000);
});
