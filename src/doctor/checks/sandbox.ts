import type { RunnerHealth } from "../../sandbox/runner-client.ts";
import { runnerClientFor } from "../../sandbox/runner-settings.ts";
import { describeSandbox } from "../../sandbox/sandbox-report.ts";
import { finding, type Finding } from "../types.ts";
import type { DoctorContext } from "../types-context.ts";

const CHECK = "sandbox";
// A cold Cloudflare Container needs several seconds before its port answers (durable-objects/sandbox-container.ts).
const CONTAINER_TIMEOUT_MS = 20_000;
const URL_TIMEOUT_MS = 3000;

/** The exec sandbox runner: reachable, and the sandbox commands actually get (tools.exec.sandbox against the runner). */
export async function sandboxCheck(ctx: DoctorContext): Promise<Finding[]> {
  const exec = ctx.config.tools.exec;
  if (!exec.enable) return [finding(CHECK, "ok", "exec is disabled (tools.exec.enable is false)")];
  const viaContainer = !exec.runnerUrl && typeof ctx.env.SANDBOX_RUNNER_URL !== "string" && Boolean(ctx.env.SANDBOX_CONTAINER);
  const client = runnerClientFor(ctx.config, ctx.env);
  if ("error" in client) return [finding(CHECK, "fail", "exec is enabled but no sandbox runner is configured", client.error.replace(/^exec needs a sandbox runner\. /, ""))];
  const timeoutMs = viaContainer ? CONTAINER_TIMEOUT_MS : URL_TIMEOUT_MS;
  let health: RunnerHealth;
  try {
    health = await client.health(AbortSignal.timeout(timeoutMs));
  } catch (err) {
    const message = (err as Error)?.name === "TimeoutError" ? `no answer within ${timeoutMs / 1000} s` : String((err as Error)?.message ?? err);
    const fix = viaContainer
      ? "deploy the container with `npx nanobot deploy` (needs Docker) and check `npx wrangler containers list`"
      : ctx.local
        ? "restart `npm start` (it starts the local runner), or fix tools.exec.runnerUrl / SANDBOX_RUNNER_URL"
        : "start the runner, or fix tools.exec.runnerUrl / SANDBOX_RUNNER_URL";
    return [finding(CHECK, "fail", `the sandbox runner is not reachable: ${message}`, fix)];
  }
  const where = viaContainer ? "runner up in a Cloudflare Container" : "runner up";
  const report = describeSandbox(exec.sandbox, exec.network, health);
  if (!report.ok) return [finding(CHECK, "fail", `${where}, isolation ${health.isolation}: exec refuses commands — ${report.text}`, report.fix)];
  const detail = `${where}, isolation ${health.isolation}: ${report.text}`;
  if (report.sandbox === "none") return [finding(CHECK, "warn", detail, 'set tools.exec.sandbox to "auto" once bubblewrap works where the runner runs')];
  return [finding(CHECK, "ok", detail)];
}
