import { sandboxFor, type SandboxSetting } from "../../sandbox-runner/src/protocol.ts";
import type { RunnerHealth } from "./runner-client.ts";

export type SandboxReport = { ok: true; sandbox: "bwrap" | "container" | "none"; text: string } | { ok: false; text: string; fix: string };

/**
 * The sandbox exec commands actually get, in words, for /status and doctor: the same decision the runner
 * enforces (sandbox-runner/src/protocol.ts sandboxFor), from the runner's /health.
 */
export function describeSandbox(setting: SandboxSetting, network: boolean, health: RunnerHealth): SandboxReport {
  const decision = sandboxFor(setting, { isolation: health.isolation, container: health.container ?? false });
  if ("refused" in decision) {
    return { ok: false, text: decision.reason, fix: decision.fix };
  }
  const net = network ? "" : ", no network";
  const text =
    decision.sandbox === "none"
      ? `sandbox none — commands run without isolation (tools.exec.sandbox "none")`
      : decision.sandbox === "container"
        ? `sandbox container (inside it: ${health.isolation}${net}; tools.exec.sandbox "${setting}")`
        : `sandbox bwrap${net} (tools.exec.sandbox "${setting}")`;
  return { ok: true, sandbox: decision.sandbox, text };
}
