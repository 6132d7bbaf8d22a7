import type { TurnSafetyPolicy } from "../safety-policy.ts";
import { REPEATED_LOOKUP_ERROR, createExternalLookupGuard, lookupSignature } from "./external-lookups.ts";
import { createWorkspaceViolationPolicy } from "./workspace-violations.ts";

export interface TurnSafetyOptions {
  /** Refusals of one outside target allowed per turn before the hard stop (default 2). */
  maxWorkspaceViolations?: number;
  /** Identical web_fetch / web_search calls allowed per turn (default 2). */
  maxIdenticalLookups?: number;
}

/**
 * The policy every turn runs with (src/agent/safety-policy.ts is the shape the runner calls). Fresh state for one
 * agent turn: create it when the turn starts and drop it when the turn ends.
 */
export function createTurnSafety(options: TurnSafetyOptions = {}): TurnSafetyPolicy {
  const lookups = createExternalLookupGuard(options.maxIdenticalLookups);
  const violations = createWorkspaceViolationPolicy(options.maxWorkspaceViolations);
  return {
    beforeCall: (name, args) => lookups.check(name, args),
    afterCall(name, args, result) {
      if (result === REPEATED_LOOKUP_ERROR) {
        const what = lookupSignature(name, args) ?? name;
        return { result, events: [{ event: "external_lookup_blocked", detail: what.slice(0, 120) }] };
      }
      return violations.check(name, args, result);
    },
  };
}
