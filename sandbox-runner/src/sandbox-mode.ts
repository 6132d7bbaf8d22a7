import { NO_NETWORK_REFUSED, sandboxFor, type IsolationMode, type SandboxInEffect, type SandboxSetting } from "./protocol.ts";

/** The runner cannot isolate a command as the Worker demands (tools.exec.sandbox / network); nothing ran. */
export class SandboxRefusedError extends Error {}

/**
 * How one command or stdio MCP server runs: the sandbox it was promised (protocol.ts sandboxFor) or a refusal.
 * "none" skips bubblewrap on purpose; in `user` mode the per-workspace uid stays (the working copies are owned
 * by it).
 */
export function modeFor(
  demand: { sandbox: SandboxSetting; network: boolean },
  runner: { isolation: IsolationMode; container: boolean },
): { mode: IsolationMode; sandbox: SandboxInEffect } {
  const decision = sandboxFor(demand.sandbox, runner);
  if ("refused" in decision) throw new SandboxRefusedError(decision.refused);
  const mode: IsolationMode = decision.sandbox === "none" ? (runner.isolation === "user" ? "user" : "none") : runner.isolation;
  if (!demand.network && mode !== "bwrap") throw new SandboxRefusedError(NO_NETWORK_REFUSED);
  return { mode, sandbox: decision.sandbox };
}
