import { describe, expect, it } from "vitest";
import { cleanEnv, runCli } from "../support/run-cli.ts";

describe("npx nanobot --help", () => {
  it("should list every verb, one line each, and the Quick start order", async () => {
    const result = await runCli(["--help"]);
    expect(result.code).toBe(0);
    for (const command of ["onboard", "agent", "status", "gateway", "deploy", "doctor", "cron", "channels", "pairing"]) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b.*\\S`, "m"));
    }
    expect(result.stdout).toContain("Quick start: npm ci, npx nanobot onboard, npm start, npx nanobot agent -m hello.");
    expect(result.stdout).toContain("NANOBOT_API_KEY in the project's .dev.vars");
    expect(result.stdout).toContain("NANOBOT_DEBUG=1");
  });

  it.each(["agent", "status", "cron", "channels", "pairing"])("should document --timeout and where the key lives in `%s --help`", async (command) => {
    const result = await runCli([command, "--help"]);
    expect(result.stdout).toContain("--timeout SECONDS");
    expect(result.stdout).toContain("NANOBOT_API_KEY in the project's .dev.vars");
    expect(result.stdout).not.toContain("nanobot.config.json)");
  });

  it.each(["onboard", "agent", "status", "gateway", "deploy", "cron", "channels", "pairing"])("should print usage for `%s --help` and exit 0", async (command) => {
    const result = await runCli([command, "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: npx nanobot ${command}`);
  });

  it("should reject an unknown command with exit code 2", async () => {
    const result = await runCli(["frobnicate"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown command "frobnicate"');
  });

  it("should reject an unknown flag and point to the command's help", async () => {
    const result = await runCli(["agent", "--bogus"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("npx nanobot agent --help");
  });

  it.each([["cron", "list"], ["channels", "status"], ["pairing", "list"]])(
    "should say how to start the gateway when `%s %s` cannot reach it",
    async (command, sub) => {
      // A port nothing listens on: the CLI must explain, not print a stack trace.
      const result = await runCli([command, sub], { env: cleanEnv({ NANOBOT_URL: "http://127.0.0.1:9", NANOBOT_API_KEY: "k" }) });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("Cannot reach the nanobot gateway at http://127.0.0.1:9");
      expect(result.stderr).toContain("npm start");
      expect(result.stderr).not.toMatch(/\n\s+at /);
    },
  );
});
