import type { Config } from "../../config/schema.ts";
import { createRunnerClient, type RunnerHealth } from "../../sandbox/runner-client.ts";
import { runnerEndpointFor } from "../../sandbox/runner-settings.ts";
import { describeSandbox } from "../../sandbox/sandbox-report.ts";
import { finding, type Finding } from "../types.ts";
import type { DoctorContext } from "../types-context.ts";

const CHECK = "sandbox";
// A cold Cloudflare Container needs several seconds before its port answers (durable-objects/sandbox-container.ts).
const CONTAINER_TIMEOUT_MS = 20_000;
const URL_TIMEOUT_MS = 3000;

/**
 * Which runner the check reached, and what that says about the others. Under agents.isolation "user" the
 * deployed container has one instance per workspace (sandbox/runner-settings.ts containerInstanceFor), each
 * started by its first command: doctor has no workspace, so it reaches the shared instance and says so rather
 * than start (and bill) one container per user.
 */
function scope(config: Config, instance: string | undefined): { where: string; note: string } {
  const perUser = config.agents.isolation === "user";
  if (instance === undefined) {
    const note = perUser
      ? '; agents.isolation "user": every workspace shares this runner (tools.exec.runnerUrl / SANDBOX_RUNNER_URL) — a container instance per workspace needs the deployed container'
      : "";
    return { where: "runner up", note };
  }
  const where = `runner up in a Cloudflare Container, instance "${instance}"`;
  const note = perUser
    ? `; agents.isolation "user": every workspace has its own instance, started on its first command — doctor checked "${instance}" only and cannot check them all`
    : "";
  return { where, note };
}

/** The exec sandbox runner: reachable, and the sandbox commands actually get (tools.exec.sandbox against the runner). */
export async function sandboxCheck(ctx: DoctorContext): Promise<Finding[]> {
  const exec = ctx.config.tools.exec;
  if (!exec.enable) return [finding(CHECK, "ok", "exec is disabled (tools.exec.enable is false)")];
  const endpoint = runnerEndpointFor(ctx.config, ctx.env);
  if ("error" in endpoint) return [finding(CHECK, "fail", "exec is enabled but no sandbox runner is configured", endpoint.error.replace(/^exec needs a sandbox runner\. /, ""))];
  const viaContainer = endpoint.instance !== undefined;
  const client = createRunnerClient(endpoint);
  const { where, note } = scope(ctx.config, endpoint.instance);
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
    const which = viaContainer ? ` (container instance "${endpoint.instance}")` : "";
    return [finding(CHECK, "fail", `the sandbox runner is not reachable${which}: ${message}${note}`, fix)];
  }
  const report = describeSandbox(exec.sandbox, exec.network, health);
  if (!report.ok) return [finding(CHECK, "fail", `${where}, isolation ${health.isolation}: exec refuses commands — ${report.text}${note}`, report.fix)];
  const detail = `${where}, isolation ${health.isolation}: ${report.text}${note}`;
  if (report.sandbox === "none") return [finding(CHECK, "warn", detail, 'set tools.exec.sandbox to "auto" once bubblewrap works where the runner runs')];
  return [finding(CHECK, "ok", detail)];
}
