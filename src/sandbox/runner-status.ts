import type { Config } from "../config/schema.ts";
import type { Env } from "../env.ts";
import { runnerClientFor } from "./runner-settings.ts";

/** `/status` line for exec: where commands run and how they are isolated. */
export async function execStatusLine(session: { config: Config; env: Env }): Promise<string> {
  if (!session.config.tools.exec.enable) return "🧰 exec: disabled (tools.exec.enable)";
  const client = runnerClientFor(session.config, session.env);
  if ("error" in client) return `🧰 exec: unavailable — ${client.error}`;
  try {
    const health = await client.health(AbortSignal.timeout(2000));
    return `🧰 exec: sandbox runner up, isolation ${health.isolation}`;
  } catch (err) {
    return `🧰 exec: sandbox runner not reachable (${(err as Error).message})`;
  }
}
