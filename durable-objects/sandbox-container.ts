import { DurableObject } from "cloudflare:workers";
import { loadConfig } from "../src/config/load-config.ts";
import type { Env } from "../src/env.ts";

/** Port the runner listens on inside the container (sandbox-runner/Dockerfile). */
const RUNNER_PORT = 8080;
// A cold container needs a few seconds before its port answers.
const START_TIMEOUT_MS = 30_000;
const RETRY_DELAY_MS = 250;
// Idle containers are stopped by the platform after this; the next exec starts a fresh one (and resyncs from R2).
const INACTIVITY_TIMEOUT_MS = 15 * 60_000;

const jsonError = (status: number, message: string) =>
  new Response(JSON.stringify({ error: "container", message }), { status, headers: { "content-type": "application/json" } });

/**
 * The sandbox runner as a Cloudflare Container (deployed config only: `[[env.production.containers]]`).
 * The Worker reaches it through this Durable Object (binding SANDBOX_CONTAINER, see src/sandbox/runner-settings.ts):
 * one instance for the agent, or one per workspace with `agents.isolation: "user"` (containerInstanceFor);
 * requests stay HMAC-signed end to end, the container gets the shared secret at start.
 */
export class SandboxContainer extends DurableObject<Env> {
  private async ensureStarted(container: Container): Promise<void> {
    if (container.running) return;
    const loaded = loadConfig(this.env);
    const exec = loaded.ok ? loaded.config.tools.exec : null;
    const secret = exec?.runnerSecret || (typeof this.env.SANDBOX_RUNNER_SECRET === "string" ? this.env.SANDBOX_RUNNER_SECRET : "");
    if (!secret) throw new Error("set the secret SANDBOX_RUNNER_SECRET (or tools.exec.runnerSecret) so the Worker and the container share it");
    container.start({
      env: { RUNNER_SECRET: secret, RUNNER_PORT: String(RUNNER_PORT), RUNNER_HOST: "0.0.0.0", RUNNER_ROOT: "/data", RUNNER_CONTAINER: "1" },
      // Egress is what the config allows: tools.exec.containerInternet = false cuts the sandbox off the internet.
      enableInternet: exec?.containerInternet ?? true,
    });
    this.ctx.waitUntil(
      container.monitor().catch((err: unknown) => console.log(JSON.stringify({ event: "sandbox_container_exit", error: String(err).slice(0, 200) }))),
    );
    await container.setInactivityTimeout(INACTIVITY_TIMEOUT_MS).catch(() => {});
    console.log(JSON.stringify({ event: "sandbox_container_started" }));
  }

  override async fetch(request: Request): Promise<Response> {
    const container = this.ctx.container;
    if (!container) return jsonError(503, "This Durable Object has no container: deploy with the [[env.production.containers]] config.");
    try {
      await this.ensureStarted(container);
    } catch (err) {
      return jsonError(503, `The sandbox container could not start: ${(err as Error).message}.`);
    }
    // The body is read once so the request can be retried while the runner boots.
    const body = request.method === "GET" ? undefined : await request.arrayBuffer();
    const port = container.getTcpPort(RUNNER_PORT);
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      try {
        return await port.fetch(new Request(request.url, { method: request.method, headers: request.headers, body }));
      } catch (err) {
        if (Date.now() > deadline) return jsonError(503, `The sandbox runner in the container did not answer: ${(err as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
      }
    }
  }
}
