import { writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { Finding } from "../../src/doctor/types.ts";
import { cleanEnv, runCli } from "../support/run-cli.ts";
import { startStandInGateway, type StandInGateway } from "../support/stand-in-gateway.ts";
import { createTempProject, type TempProject } from "../support/temp-project.ts";

// Secret values the project's files hold; none of them may ever appear in doctor's output.
const API_KEY = "doctor-api-key-5b1e";
const BOT_TOKEN = "424242:doctor-bot-token-77aa";
const WEBHOOK_SECRET = "doctor-webhook-secret-c3d4";
const PROVIDER_KEY = "sk-or-doctor-provider-key-e9f0";

let project: TempProject | null = null;
let gateway: StandInGateway | null = null;
afterEach(async () => {
  project?.remove();
  project = null;
  await gateway?.close();
  gateway = null;
});

/** An onboarded project: config referring to secrets by ${VAR}, values in .dev.vars (minus `omit`). */
function onboarded(omit: string[] = []): TempProject {
  const p = createTempProject("nanobot-doctor-");
  const config = {
    agents: { defaults: { provider: "openrouter", model: "anthropic/claude-sonnet-4" } },
    providers: { openrouter: { apiKey: "${OPENROUTER_API_KEY}" } },
    api: { apiKey: "${NANOBOT_API_KEY}" },
    channels: { telegram: { enabled: true, token: "${TELEGRAM_BOT_TOKEN}", webhookSecretToken: "${TELEGRAM_WEBHOOK_SECRET}", allowFrom: ["42"] } },
  };
  writeFileSync(p.file("nanobot.config.json"), JSON.stringify(config, null, 2));
  const vars: Record<string, string> = { NANOBOT_API_KEY: API_KEY, TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET, OPENROUTER_API_KEY: PROVIDER_KEY };
  writeFileSync(p.file(".dev.vars"), Object.entries(vars).filter(([k]) => !omit.includes(k)).map(([k, v]) => `${k}=${v}`).join("\n"));
  return p;
}

const ok = (check: string, detail: string): Finding => ({ check, status: "ok", detail, fix: "" });
const healthy: Finding[] = [
  ok("config", "valid (the bundled nanobot.config.json + NANOBOT_CONFIG + the Worker's variables)"),
  ok("secrets", "all 4 referenced variables are set"),
  ok("provider", "openrouter (model anthropic/claude-sonnet-4): reachable, key accepted"),
  ok("telegram", "no webhook registered: the local gateway polls getUpdates; 0 pending update(s)"),
  ok("migrations", "all 4 applied (latest 0004_pairing.sql)"),
];

async function doctorGateway(findings: Finding[], status = 200): Promise<StandInGateway> {
  return startStandInGateway({ apiKey: API_KEY, admin: { "GET /admin/doctor": { status, body: { ok: !findings.some((f) => f.status === "fail"), findings } } } });
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

function expectNoSecrets(output: string): void {
  for (const secret of [API_KEY, BOT_TOKEN, WEBHOOK_SECRET, PROVIDER_KEY]) {
    expect(output).not.toContain(secret);
    // not even partially: the distinctive tail of each value
    expect(output).not.toContain(secret.slice(-8));
  }
}

const doctor = (args: string[] = []) => runCli(["doctor", ...args], { cwd: project!.dir, env: cleanEnv() });

describe("npx nanobot doctor", () => {
  it("should print usage for --help", async () => {
    const result = await runCli(["doctor", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Usage: npx nanobot doctor");
  });

  it("should print one line per finding and exit 0 when everything is ok", async () => {
    project = onboarded();
    gateway = await doctorGateway(healthy);
    const result = await doctor(["--url", gateway.url]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines).toEqual([
      "ok    config: valid (nanobot.config.json + .dev.vars)",
      "ok    secrets: all 4 referenced variables are set (OPENROUTER_API_KEY, NANOBOT_API_KEY, TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET)",
      `ok    gateway: reachable at ${gateway.url}`,
      "ok    provider: openrouter (model anthropic/claude-sonnet-4): reachable, key accepted",
      "ok    telegram: no webhook registered: the local gateway polls getUpdates; 0 pending update(s)",
      "ok    migrations: all 4 applied (latest 0004_pairing.sql)",
      "",
      "All 6 checks passed.",
    ]);
    // The key came from the project's own files.
    expect(gateway.requests.find((r) => r.path === "/admin/doctor")?.authorization).toBe(`Bearer ${API_KEY}`);
    expectNoSecrets(result.stdout);
  });

  it("should name a secret missing from .dev.vars, with where to put it, and exit 1", async () => {
    project = onboarded(["TELEGRAM_WEBHOOK_SECRET"]);
    gateway = await doctorGateway(healthy);
    const result = await doctor(["--url", gateway.url]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      "FAIL  secrets: TELEGRAM_WEBHOOK_SECRET is not set in .dev.vars (used by channels.telegram.webhookSecretToken) — fix: add TELEGRAM_WEBHOOK_SECRET=… to .dev.vars (npx nanobot onboard writes it); a running npm start picks the change up by itself",
    );
    expect(result.stdout).toMatch(/^FAIL {2}config: channels\.telegram\.webhookSecretToken: environment variable 'TELEGRAM_WEBHOOK_SECRET' is not set/m);
    // The gateway still judged the old files as fine: doctor says it reloads them (or can be restarted).
    expect(result.stdout).toContain("ok    secrets (running gateway): all 4 referenced variables are set — fix: give a running npm start a few seconds to reload the files (or restart it)");
    expectNoSecrets(result.stdout);
  });

  it("should print the gateway's failures with their fixes, secrets removed, and exit 1", async () => {
    project = onboarded();
    gateway = await doctorGateway([
      ...healthy.filter((f) => f.check !== "telegram" && f.check !== "provider"),
      { check: "provider", status: "fail", detail: "openrouter (model anthropic/claude-sonnet-4): https://openrouter.ai refused the connection (nothing listens there)", fix: "check providers.openrouter.apiBase" },
      // A platform echoing a secret back must not get it printed.
      { check: "telegram", status: "fail", detail: `webhook secret mismatch: Telegram's last delivery was refused: "Wrong response from the webhook: 401 Unauthorized" (bot${BOT_TOKEN})`, fix: "re-register the webhook with `npx nanobot deploy`" },
    ]);
    const result = await doctor(["--url", gateway.url]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("FAIL  provider: openrouter (model anthropic/claude-sonnet-4): https://openrouter.ai refused the connection (nothing listens there) — fix: check providers.openrouter.apiBase");
    expect(result.stdout).toMatch(/^FAIL {2}telegram: webhook secret mismatch: .*\(bot\*\*\*\) — fix: re-register the webhook with `npx nanobot deploy`$/m);
    expect(result.stdout).toContain("2 problem(s), 0 warning(s), 4 ok. Fix the FAIL lines first.");
    expectNoSecrets(result.stdout);
  });

  it("should still check the local files when the gateway is not running, and say how to start it", async () => {
    project = onboarded();
    const url = `http://127.0.0.1:${await closedPort()}`;
    const result = await doctor(["--url", url]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("ok    config: valid (nanobot.config.json + .dev.vars)");
    expect(result.stdout).toContain(`FAIL  gateway: not reachable at ${url}: ${url} refused the connection (nothing listens there) — fix: start it with \`npm start\``);
    expect(result.stderr).toBe("");
    expectNoSecrets(result.stdout);
  });

  it("should report a broken nanobot.config.json and a rejected API key, each with a fix", async () => {
    project = onboarded();
    writeFileSync(project.file("nanobot.config.json"), '{ "api": { "apiKey": "${NANOBOT_API_KEY}" }, }');
    gateway = await startStandInGateway({ apiKey: "another-key" });
    const result = await doctor(["--url", gateway.url]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAIL {2}config: nanobot\.config\.json: .+ — fix: fix nanobot\.config\.json in nanobot\.config\.json \+ \.dev\.vars, then a running npm start picks the change up by itself$/m);
    expect(result.stdout).toMatch(/^FAIL {2}gateway: the gateway rejected the API key from NANOBOT_API_KEY in .*\.dev\.vars — fix: .*NANOBOT_API_KEY/m);
    expectNoSecrets(result.stdout);
  });

  it("should check only the Worker for a deployed --url, and say when its host does not resolve", async () => {
    project = onboarded(["TELEGRAM_WEBHOOK_SECRET"]);
    const result = await doctor(["--url", "https://doctor-test.invalid"]);
    expect(result.code).toBe(1);
    // The project's files describe this machine, not the deployment: no local config/secrets lines.
    expect(result.stdout).not.toContain("secrets:");
    expect(result.stdout).toContain("FAIL  gateway: not reachable at https://doctor-test.invalid: https://doctor-test.invalid was not found (DNS lookup failed) — fix: check the URL");
  });

  it("should refuse a --url that is not an http(s) URL with a usage error", async () => {
    const result = await runCli(["doctor", "--url", "ftp://example.org"], { env: cleanEnv() });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('Error: --url must be an http(s) URL, got "ftp://example.org".\n');
  });

  it("should print JSON with --json", async () => {
    project = onboarded();
    gateway = await doctorGateway(healthy);
    const result = await doctor(["--url", gateway.url, "--json"]);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as { ok: boolean; findings: Finding[] };
    expect(parsed.ok).toBe(true);
    expect(parsed.findings.map((f) => f.check)).toEqual(["config", "secrets", "gateway", "provider", "telegram", "migrations"]);
  });
});
