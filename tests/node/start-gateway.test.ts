import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ensureConfigFile } from "../../scripts/start-gateway.ts";
import { repoRoot } from "../support/run-cli.ts";

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("npm start (scripts/start-gateway.ts)", () => {
  it("should create an empty nanobot.config.json only when there is none", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "nanobot-start-"));
    temps.push(dir);
    expect(ensureConfigFile(dir)).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dir, "nanobot.config.json"), "utf8"))).toEqual({});
    writeFileSync(path.join(dir, "nanobot.config.json"), '{"api":{"apiKey":"mine"}}');
    expect(ensureConfigFile(dir)).toBe(false);
    expect(readFileSync(path.join(dir, "nanobot.config.json"), "utf8")).toBe('{"api":{"apiKey":"mine"}}');
  });

  it("should refuse a port that is already taken, say what to do, and exit 1 without starting anything", async () => {
    const squatter = http.createServer((_req, res) => res.end("not a gateway"));
    await new Promise<void>((r) => squatter.listen(0, "127.0.0.1", r));
    const { port } = squatter.address() as AddressInfo;
    try {
      const child = spawn(process.execPath, ["scripts/start-gateway.ts", "--port", String(port)], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((r) => child.on("close", r));
      expect(code).toBe(1);
      expect(stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect(stderr).toContain(`npm start -- --port ${port + 1}`);
    } finally {
      await new Promise<void>((r) => squatter.close(() => r()));
    }
  });
});
