import { describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.ts";

describe("npx nanobot --help", () => {
  it("should list the commands", async () => {
    const result = await runCli(["--help"]);
    expect(result.code).toBe(0);
    for (const command of ["onboard", "agent", "status", "gateway", "deploy"]) expect(result.stdout).toContain(`  ${command}`);
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

  it("should say that cron is not available yet instead of pretending", async () => {
    const result = await runCli(["cron", "list"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("not available yet");
  });
});
