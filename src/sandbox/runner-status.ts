import type { Config } from "../config/schema.ts";
import type { Env } from "../env.ts";
import { runnerClientFor } from "./runner-settings.ts";
import { describeSandbox } from "./sandbox-report.ts";

/** `/status` line for exec: the sandbox commands actually run in (or why they are refused). */
export async function execStatusLine(session: { config: Config; env: Env; workspaceId?: string }): Promise<string> {
  const exec = session.config.tools.exec;
  if (!exec.enable) return "🧰 exec: disabled (tools.exec.enable)";
  const client = runnerClientFor(session.config, session.env, { workspaceId: session.workspaceId });
  if ("error" in client) return `🧰 exec: unavailable — ${client.error}`;
  try {
    const report = describeSandbox(exec.sandbox, exec.network, await client.health(AbortSignal.timeout(2000)));
    return report.ok ? `🧰 exec: ${report.text}` : `🧰 exec: refused — ${report.text}. Fix: ${report.fix}.`;
  } catch (err) {
    return `🧰 exec: sandbox runner not reachable (${(err as Error).message})`;
  }
}
