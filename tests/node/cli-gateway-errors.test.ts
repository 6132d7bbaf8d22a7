import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { formatError } from "../../cli/error-output.ts";
import { CliError } from "../../cli/cli-error.ts";
import { listen, sendJson, type RunningServer } from "../support/stand-in-http.ts";
import { cleanEnv, runCli } from "../support/run-cli.ts";
import { missingVariable } from "../../src/config/interpolate.ts";

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** A stand-in gateway whose answers the test scripts, per "METHOD /path". */
async function gateway(routes: Record<string, Handler>): Promise<string> {
  server = await listen(
    http.createServer((req, res) => {
      const route = routes[`${req.method} ${new URL(req.url ?? "/", "http://x").pathname}`];
      if (route) return route(req, res);
      sendJson(res, 404, { error: { message: "not found" } });
    }),
  );
  return server.url;
}

const healthy: Handler = (_req, res) => sendJson(res, 200, { status: "ok" });
const never: Handler = () => {}; // accepts the request and never answers
const cli = (url: string, args: string[], env: Record<string, string> = {}) =>
  runCli(args, { env: cleanEnv({ NANOBOT_URL: url, NANOBOT_API_KEY: "k", ...env }), stdin: "" });

describe("CLI request timeouts", () => {
  it("should say what it waited for when the gateway accepts a request and never answers", async () => {
    const url = await gateway({ "GET /api/cron": never });
    const started = Date.now();
    const result = await cli(url, ["cron", "list", "--timeout", "1"]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`No answer from the gateway at ${url} within 1 s (GET /api/cron). Is it still starting?`);
    expect(result.stderr).toContain("--timeout SECONDS");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("should also stop waiting for a body that stalls after the headers", async () => {
    const url = await gateway({
      "GET /api/cron": (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"jobs":[');
      },
    });
    const result = await cli(url, ["cron", "list", "--timeout", "1"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`No answer from the gateway at ${url} within 1 s (GET /api/cron)`);
  });

  it("should take the limit from NANOBOT_TIMEOUT, and check the gateway answers before a turn", async () => {
    const url = await gateway({ "GET /health": never });
    const result = await cli(url, ["agent", "-m", "hi"], { NANOBOT_TIMEOUT: "1" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`No answer from the gateway at ${url} within 1 s (GET /health)`);
  });

  it("should stop waiting when a streamed reply goes silent, keeping what arrived", async () => {
    const url = await gateway({
      "GET /health": healthy,
      "POST /v1/chat/completions": (_req, res) => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: "half an answer" } }] })}\n\n`);
      },
    });
    const result = await cli(url, ["agent", "-m", "hi", "--reply-timeout", "1"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("half an answer");
    expect(result.stderr).toContain(`The gateway at ${url} sent nothing for 1 s (POST /v1/chat/completions, streamed)`);
    expect(result.stderr).toContain("--reply-timeout SECONDS");
  });

  it("should reject a timeout that is not a positive number of seconds", async () => {
    const result = await cli("http://127.0.0.1:9", ["cron", "list", "--timeout", "soon"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--timeout must be a number of seconds greater than 0 (got "soon")');
  });
});

describe("CLI on a gateway with an invalid configuration", () => {
  const syntax = "nanobot.config.json: not valid JSON (Expected double-quoted property name in JSON at position 42 (line 3 column 1))";

  it("should print the gateway's message and how to fix nanobot.config.json (health 503)", async () => {
    const url = await gateway({ "GET /health": (_req, res) => sendJson(res, 503, { status: "error", error: syntax }) });
    const result = await cli(url, ["agent", "-m", "hi"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Error: The gateway's configuration is invalid: ${syntax}`);
    expect(result.stderr).toContain("Fix it in nanobot.config.json");
    expect(result.stderr).toContain("without a restart");
  });

  it("should recognise OpenAI-shaped invalid_config answers and say a missing variable goes into .dev.vars", async () => {
    // The Worker's own text for a missing variable, which already says where to set it.
    const problem = `channels.telegram.token: ${missingVariable("TELEGRAM_BOT_TOKEN")}`;
    const url = await gateway({
      "GET /health": healthy,
      "GET /v1/models": (_req, res) => sendJson(res, 500, { error: { message: `Invalid configuration: ${problem}`, type: "server_error", code: "invalid_config" } }),
    });
    const result = await cli(url, ["status"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`The gateway's configuration is invalid: ${problem}`);
    expect(result.stderr).toContain("add TELEGRAM_BOT_TOKEN=… to .dev.vars");
    expect(result.stderr).toContain("reloads .dev.vars by itself");
    // Said once, by the gateway's message, not repeated by the CLI.
    expect(result.stderr.match(/wrangler secret put/g)).toHaveLength(1);
  });

  it("should recognise the plain {status: error} answer of the other routes (500)", async () => {
    const url = await gateway({ "GET /api/cron": (_req, res) => sendJson(res, 500, { status: "error", error: "agents.defaults.maxTokens: expected number, got string" }) });
    const result = await cli(url, ["cron", "list"]);
    expect(result.stderr).toContain("The gateway's configuration is invalid: agents.defaults.maxTokens: expected number, got string");
  });

  it("should report it in `status` too, without claiming a restart is needed", async () => {
    const url = await gateway({ "GET /health": (_req, res) => sendJson(res, 503, { status: "error", error: syntax }) });
    const result = await cli(url, ["status"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("The gateway's configuration is invalid");
    expect(`${result.stdout}${result.stderr}`).not.toContain("then restart the gateway");
  });
});

describe("CLI error lines", () => {
  it("should print a gateway message that already says Error: with one prefix", async () => {
    const url = await gateway({ "POST /api/cron": (_req, res) => sendJson(res, 400, { error: { message: "Error: invalid cron expression 'x'" } }) });
    const result = await cli(url, ["cron", "add", "--message", "m", "--cron", "x"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("Error: The gateway answered 400: invalid cron expression 'x'\n");
  });

  it("should print an error inside a streamed reply with one prefix", async () => {
    const url = await gateway({
      "GET /health": healthy,
      "POST /v1/chat/completions": (_req, res) => {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.end(`data: ${JSON.stringify({ error: { message: "Error: provider timed out", type: "server_error" } })}\n\n`);
      },
    });
    const result = await cli(url, ["agent", "-m", "hi"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("Error: The gateway reported an error: provider timed out\n");
  });

  it("should show an unexpected error's stack only with NANOBOT_DEBUG=1", () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
    const plain = formatError(bug, {});
    expect(plain).toMatch(/^Error: Cannot read properties of undefined \(reading 'x'\)\n/);
    expect(plain).toContain("NANOBOT_DEBUG=1");
    expect(plain).not.toMatch(/\n\s+at /);
    expect(formatError(bug, { NANOBOT_DEBUG: "1" })).toMatch(/\n\s+at /);
    expect(formatError(new CliError("Error: Error: twice"), {})).toBe("Error: twice");
  });
});
