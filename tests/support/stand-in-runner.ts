/**
 * The real sandbox runner (sandbox-runner/src) for the Worker tests, plus a control server so tests in workerd
 * can start disposable runners, restart them with a wiped disk, or stop them:
 *   POST   /runners[?bwrap=missing][&container=1] → {id, url, secret}  (`bwrap=missing`: RUNNER_BWRAP points at
 *          nothing, as on a host without bubblewrap; `container=1`: RUNNER_CONTAINER=1, as in the image)
 *   POST   /runners/<id>/restart?wipe=1 (same port; `wipe` empties its data directory first)
 *   DELETE /runners/<id>               (stops it: its URL then refuses connections)
 * The shared runner (`url`, `secret`) is what the test config's tools.exec points at.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../../sandbox-runner/src/config.ts";
import { startRunner, type RunningRunner } from "../../sandbox-runner/src/server.ts";

process.env.RUNNER_LOG ??= "off";

interface Managed {
  root: string;
  secret: string;
  port: number;
  runner: RunningRunner | null;
  /** Extra RUNNER_* variables. */
  vars: Record<string, string>;
}

async function launch(managed: Managed): Promise<RunningRunner> {
  const config = loadConfig({ ...managed.vars, RUNNER_SECRET: managed.secret, RUNNER_PORT: String(managed.port), RUNNER_ROOT: managed.root });
  const runner = await startRunner(config);
  managed.port = Number(new URL(runner.url).port);
  managed.runner = runner;
  return runner;
}

async function create(vars: Record<string, string> = {}): Promise<Managed> {
  const managed: Managed = { root: mkdtempSync(path.join(os.tmpdir(), "stand-in-runner-")), secret: randomBytes(24).toString("hex"), port: 0, runner: null, vars };
  await launch(managed);
  return managed;
}

export interface StandInRunner {
  url: string;
  secret: string;
  control: string;
  /** A stdio MCP server (official SDK) as tools.mcpServers.<name> would start it: command + args. */
  stdioMcp: { command: string; args: string[] };
  close(): Promise<void>;
}

export async function startStandInRunner(): Promise<StandInRunner> {
  const shared = await create();
  const disposable = new Map<string, Managed>();

  const control = http.createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    try {
      const url = new URL(req.url ?? "/", "http://control");
      const match = /^\/runners\/([^/]+)(\/restart)?$/.exec(url.pathname);
      if (req.method === "POST" && url.pathname === "/runners") {
        const id = randomBytes(6).toString("hex");
        const vars: Record<string, string> = {};
        if (url.searchParams.get("bwrap") === "missing") vars.RUNNER_BWRAP = "/nonexistent/bwrap";
        if (url.searchParams.get("container") === "1") vars.RUNNER_CONTAINER = "1";
        const managed = await create(vars);
        disposable.set(id, managed);
        return send(200, { id, url: managed.runner!.url, secret: managed.secret });
      }
      const managed = match ? disposable.get(match[1]) : undefined;
      if (!managed) return send(404, { error: "unknown runner" });
      await managed.runner?.close();
      managed.runner = null;
      if (match![2] && req.method === "POST") {
        if (url.searchParams.get("wipe") === "1") rmSync(managed.root, { recursive: true, force: true });
        const runner = await launch(managed);
        return send(200, { url: runner.url });
      }
      if (req.method === "DELETE") return send(200, { stopped: true });
      return send(405, { error: "method not allowed" });
    } catch (err) {
      send(500, { error: String(err) });
    }
  });
  await new Promise<void>((resolve) => control.listen(0, "127.0.0.1", resolve));
  const controlUrl = `http://127.0.0.1:${(control.address() as AddressInfo).port}`;

  return {
    url: shared.runner!.url,
    secret: shared.secret,
    control: controlUrl,
    stdioMcp: { command: process.execPath, args: [path.join(import.meta.dirname, "stand-in-stdio-mcp.ts")] },
    async close() {
      control.closeAllConnections();
      await new Promise<void>((resolve) => control.close(() => resolve()));
      for (const managed of [shared, ...disposable.values()]) {
        await managed.runner?.close();
        rmSync(managed.root, { recursive: true, force: true });
      }
    },
  };
}
