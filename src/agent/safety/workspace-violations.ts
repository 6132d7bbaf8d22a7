import type { ToolEvent, ToolResult } from "../../tools/types.ts";
import { violationSignature, violationTarget } from "./violation-target.ts";

/**
 * Workspace-boundary refusals are ordinary, recoverable tool errors (making them fatal killed legitimate turns,
 * nanobot #3599/#3605). What needs stopping is the bypass loop: refused once, a model swaps tools and tries
 * again (read_file → exec cat → exec cp → python -c …). Two refusals per target and turn pass through; from the
 * third on, whatever the tool, the result becomes a hard "stop and ask the user".
 */
export const MAX_WORKSPACE_VIOLATIONS_PER_TARGET = 2;

/** Texts the file tools, the exec guard and the sandbox runner use when a path leaves the workspace. */
export const WORKSPACE_VIOLATION_MARKERS = [
  "outside the configured workspace",
  "outside allowed directory",
  "working_dir is outside",
  "working_dir could not be resolved",
  "path outside working dir",
  "path traversal detected",
] as const;

/** Texts the SSRF guard (web_fetch, exec URL check, MCP) uses for private/internal destinations. */
export const SSRF_MARKERS = ["internal/private", "private/internal address", "private address"] as const;

export const SSRF_NOTE =
  "This is a non-bypassable security boundary. Stop trying to reach private/internal addresses: do not retry with " +
  "curl, wget, encoded IPs, alternate DNS names, redirects, proxies or another tool. Ask the user for the content " +
  "itself (files, logs, screenshots) or for a public URL instead. If the user trusts this address, they can allow " +
  "the exact IP/CIDR in tools.ssrfWhitelist.";

export const REPEATED_BYPASS_PREFIX = "Error: refusing repeated workspace-bypass attempts.";

export function repeatedBypassError(target: string, attempts: number): string {
  return (
    `${REPEATED_BYPASS_PREFIX}\n` +
    `You have tried to access '${target}' (or an equivalent path) ${attempts} times in this turn. ` +
    "This is a hard policy boundary: switching tools, shell tricks, working_dir overrides, symlinks, encodings or " +
    "base64 piping will NOT change the answer. Stop retrying. Tell the user that this location is outside your " +
    "workspace and ask how they want to proceed (for example: paste the content, or copy the file into the workspace)."
  );
}

export function resultText(result: ToolResult): string {
  if (typeof result === "string") return result;
  return result.map((part) => (part.type === "text" ? part.text : "")).join("\n");
}

const isErrorResult = (text: string) => text.trimStart().startsWith("Error");
const hasMarker = (text: string, markers: readonly string[]) => {
  const lower = text.toLowerCase();
  return markers.some((m) => lower.includes(m));
};
const detail = (tool: string, what: string) => {
  const text = `${tool}: ${what}`;
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
};

export type ViolationKind = "workspace" | "ssrf" | null;

/** Which boundary a failed tool result reports, if any. Successful results are never classified. */
export function classifyViolation(result: ToolResult): ViolationKind {
  const text = resultText(result);
  if (!isErrorResult(text)) return null;
  if (hasMarker(text, SSRF_MARKERS)) return "ssrf";
  if (hasMarker(text, WORKSPACE_VIOLATION_MARKERS)) return "workspace";
  return null;
}

export interface ViolationOutcome {
  result: ToolResult;
  events: ToolEvent[];
}

/** Per-turn counter of workspace violations by target; create one per turn. */
export function createWorkspaceViolationPolicy(maxPerTarget = MAX_WORKSPACE_VIOLATIONS_PER_TARGET) {
  const counts = new Map<string, number>();

  return {
    /** Passes the result through, appends the SSRF note, or replaces a repeated bypass attempt. */
    check(tool: string, args: Record<string, unknown>, result: ToolResult): ViolationOutcome {
      const kind = classifyViolation(result);
      if (kind === null) return { result, events: [] };
      if (kind === "ssrf") {
        const text = resultText(result);
        const target = typeof args.url === "string" ? args.url : typeof args.command === "string" ? args.command : "";
        const noted = text.includes(SSRF_NOTE) ? text : `${text}\n\n${SSRF_NOTE}`;
        return { result: noted, events: [{ event: "ssrf_violation", detail: detail(tool, target) }] };
      }
      const target = violationTarget(tool, args);
      if (target === null) {
        return { result, events: [{ event: "workspace_violation", detail: detail(tool, "(unknown target)") }] };
      }
      const signature = violationSignature(target);
      const attempts = (counts.get(signature) ?? 0) + 1;
      counts.set(signature, attempts);
      if (attempts <= maxPerTarget) {
        return { result, events: [{ event: "workspace_violation", detail: detail(tool, target) }] };
      }
      return {
        result: repeatedBypassError(target, attempts),
        events: [{ event: "workspace_violation_escalated", detail: detail(tool, `${target} (attempt ${attempts})`) }],
      };
    },
    /** Attempts counted so far for a target (for logs and tests). */
    attempts(tool: string, args: Record<string, unknown>): number {
      const target = violationTarget(tool, args);
      return target === null ? 0 : (counts.get(violationSignature(target)) ?? 0);
    },
  };
}

export type WorkspaceViolationPolicy = ReturnType<typeof createWorkspaceViolationPolicy>;
