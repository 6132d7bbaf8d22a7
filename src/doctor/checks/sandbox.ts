import { runnerClientFor } from "../../sandbox/runner-settings.ts";
import { finding, type Finding } from "../types.ts";
import type { DoctorContext } from "../types-context.ts";

const CHECK = "sandbox";
// A cold Cloudflare Container needs several seconds before its port answers (durable-objects/sandbox-container.ts).
const CONTAINER_TIMEOUT_MS = 20_000;
const URL_TIMEOUT_MS = 3000;

/** The exec sandbox runner: reachable, and how it isolates commands (bwrap, container, separate user, none). */
export async function sandboxCheck(ctx: DoctorContext): Promise<Finding[]> {
  const exec = ctx.config.tools.exec;
  if (!exec.enable) return [finding(CHECK, "ok", "exec is disabled (tools.exec.enable is false)")];
  // `tools.exec.sandbox` (branch `sandbox`): "none" is an explicit opt-out of isolation. Read loosely.
  const optedOut = (exec as { sandbox?: unknown }).sandbox === "none";
  const viaContainer = !exec.runnerUrl && typeof ctx.env.SANDBOX_RUNNER_URL !== "string" && Boolean(ctx.env.SANDBOX_CONTAINER);
  const client = runnerClientFor(ctx.config, ctx.env);
  if ("error" in client) return [finding(CHECK, "fail", "exec is enabled but no sandbox runner is configured", client.error.replace(/^exec needs a sandbox runner\. /, ""))];
  const timeoutMs = viaContainer ? CONTAINER_TIMEOUT_MS : URL_TIMEOUT_MS;
  let isolation: string;
  try {
    isolation = (await client.health(AbortSignal.timeout(timeoutMs))).isolation;
  } catch (err) {
    const message = (err as Error)?.name === "TimeoutError" ? `no answer within ${timeoutMs / 1000} s` : String((err as Error)?.message ?? err);
    const fix = viaContainer
      ? "deploy the container with `npx nanobot deploy` (needs Docker) and check `npx wrangler containers list`"
      : ctx.local
        ? "restart `npm start` (it starts the local runner), or fix tools.exec.runnerUrl / SANDBOX_RUNNER_URL"
        : "start the runner, or fix tools.exec.runnerUrl / SANDBOX_RUNNER_URL";
    return [finding(CHECK, "fail", `the sandbox runner is not reachable: ${message}`, fix)];
  }
  if (viaContainer) return [finding(CHECK, "ok", `runner up in a Cloudflare Container (inside it: ${isolation})`)];
  if (isolation === "bwrap") return [finding(CHECK, "ok", "runner up, isolation bwrap")];
  if (optedOut) return [finding(CHECK, "ok", `runner up, isolation ${isolation} (tools.exec.sandbox is "none")`)];
  const weaker = isolation === "user" ? "a separate user without namespaces" : "none: commands run as the runner's own user";
  return [finding(CHECK, "warn", `runner up, isolation ${isolation} (${weaker})`, "install bubblewrap (apt install bubblewrap) where the runner runs, and allow user namespaces")];
}
