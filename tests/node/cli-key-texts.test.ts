import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startStandInGateway, type StandInGateway } from "../support/stand-in-gateway.ts";
import { cleanEnv, repoRoot, runCli } from "../support/run-cli.ts";
import { makeProjectFolder } from "../support/project-folder.ts";

let gateway: StandInGateway | undefined;
const temps: string[] = [];
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const project = (files: Record<string, string> = {}) => makeProjectFolder(temps, files, "nanobot-keytext-");

describe("where the API key lives, as the CLI and the WebUI say it", () => {
  it("should report the key as NANOBOT_API_KEY in .dev.vars in `status` after onboard's layout", async () => {
    gateway = await startStandInGateway({ apiKey: "nb-key" });
    const dir = project({ "nanobot.config.json": '{"api":{"apiKey":"${NANOBOT_API_KEY}"}}', ".dev.vars": "NANOBOT_API_KEY=nb-key\n" });
    const result = await runCli(["status", "--url", gateway.url], { cwd: dir, env: cleanEnv() });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`API key:  NANOBOT_API_KEY in ${dir}/.dev.vars`);
    expect(result.stdout).not.toContain("nb-key");
  });

  it("should point to onboard and .dev.vars when no key is found", async () => {
    gateway = await startStandInGateway({ apiKey: "" });
    const dir = project({});
    const result = await runCli(["status", "--url", gateway.url], { cwd: dir, env: cleanEnv() });
    expect(result.stdout).toContain("API key:  none found (run `npx nanobot onboard`: it writes NANOBOT_API_KEY to the project's .dev.vars");
  });

  it("should name NANOBOT_API_KEY in .dev.vars in the WebUI's key field", () => {
    const html = readFileSync(path.join(repoRoot, "src/webui/client/index.html"), "utf8");
    expect(html).toMatch(/id="api-key"[^>]*placeholder="NANOBOT_API_KEY from \.dev\.vars/);
  });
});
