import { existsSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bwrapWorks } from "../src/isolation.ts";
import { startTestRunner, type TestRunner } from "./runner-harness.ts";

const hasBwrap = bwrapWorks();

async function exec(runner: TestRunner, body: Record<string, unknown>) {
  const res = await runner.call("POST", "/exec", body);
  return { status: res.status, body: (await res.json()) as any };
}

describe("a runner whose bubblewrap is unusable", () => {
  let runner: TestRunner;
  beforeAll(async () => {
    // RUNNER_BWRAP pointing at nothing: the same as a host without bubblewrap.
    runner = await startTestRunner({ bwrapPath: "/nonexistent/bwrap" });
  });
  afterAll(() => runner.dispose());

  it("should refuse exec by default (auto) with how to fix it, and run nothing", async () => {
    const health = (await (await runner.call("GET", "/health")).json()) as any;
    expect(health.isolation).not.toBe("bwrap");
    expect(health.container).toBe(false);
    const { status, body } = await exec(runner, { workspace: "refuse-ws", command: "echo ran > ran.txt" });
    expect(status).toBe(422);
    expect(body.error).toBe("sandbox_unavailable");
    expect(body.message).toMatch(/^exec refused: no sandbox/);
    expect(body.message).toContain("apt-get install bubblewrap");
    expect(body.message).toContain("user namespaces");
    expect(body.message).toContain('tools.exec.sandbox to "none"');
    expect(existsSync(path.join(runner.root, "workspaces", "refuse-ws", "ran.txt"))).toBe(false);
  });

  it('should refuse "bwrap" and "container" demands the same way', async () => {
    expect((await exec(runner, { workspace: "refuse-ws", command: "true", sandbox: "bwrap" })).status).toBe(422);
    const container = await exec(runner, { workspace: "refuse-ws", command: "true", sandbox: "container" });
    expect(container.status).toBe(422);
    expect(container.body.message).toContain("not running in a container");
  });

  it('should run the command without a sandbox when the Worker says "none", and say so', async () => {
    const { status, body } = await exec(runner, { workspace: "none-ws", command: "echo ran", sandbox: "none" });
    expect(status).toBe(200);
    expect(body.stdout).toBe("ran\n");
    expect(body.sandbox).toBe("none");
  });

  it("should refuse a network-less command it cannot cut off the network", async () => {
    const { status, body } = await exec(runner, { workspace: "none-ws", command: "true", sandbox: "none", network: false });
    expect(status).toBe(422);
    expect(body.message).toContain("tools.exec.network is false");
  });
});

describe("a runner in a container", () => {
  let runner: TestRunner;
  beforeAll(async () => {
    runner = await startTestRunner({ container: true, bwrapPath: "/nonexistent/bwrap" });
  });
  afterAll(() => runner.dispose());

  it("should count the container as the sandbox for auto and container demands", async () => {
    for (const sandbox of ["auto", "container"]) {
      const { status, body } = await exec(runner, { workspace: "box-ws", command: "echo ok", sandbox });
      expect(status, sandbox).toBe(200);
      expect(body.sandbox).toBe("container");
    }
    expect((await exec(runner, { workspace: "box-ws", command: "true", sandbox: "bwrap" })).status).toBe(422);
  });
});

describe.runIf(hasBwrap)("bwrap and the network", () => {
  let runner: TestRunner;
  let host: http.Server;
  let port: number;
  beforeAll(async () => {
    runner = await startTestRunner();
    host = http.createServer((_req, res) => res.end("host-service"));
    await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
    port = (host.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await runner.dispose();
    host.close();
  });

  // bash's /dev/tcp: no curl needed, and no URL in the command text for any guard to see.
  const probe = () => `exec 3<>/dev/tcp/127.0.0.1/${port} && printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3 && tail -n1 <&3`;

  it("should share the host's network by default: a command reaches a service on the host's 127.0.0.1", async () => {
    const { body } = await exec(runner, { workspace: "net-ws", command: probe() });
    expect(body.sandbox).toBe("bwrap");
    expect(body.stdout).toContain("host-service");
  });

  it('should skip bubblewrap when the Worker says "none"', async () => {
    const { body } = await exec(runner, { workspace: "none-on-bwrap", command: "pwd; hostname", sandbox: "none" });
    expect(body.sandbox).toBe("none");
    expect(body.stdout).toBe(`${path.join(runner.root, "workspaces", "none-on-bwrap")}\n${os.hostname()}\n`);
  });

  it("should give a network-less command no way to the host, private ranges or the internet", async () => {
    const { status, body } = await exec(runner, { workspace: "net-ws", command: `${probe()}; echo "exit $?"`, network: false });
    expect(status).toBe(200);
    expect(body.stdout).not.toContain("host-service");
    expect(body.stdout).toContain("exit 1");
    const route = await exec(runner, { workspace: "net-ws", command: "cat /proc/net/route | wc -l; ls /sys/class/net 2>/dev/null", network: false });
    expect(route.body.stdout.split("\n")[0]).toBe("1"); // the header only: no route anywhere
  });
});
