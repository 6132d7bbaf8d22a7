/**
 * Models sometimes fetch the same page or run the same search again and again instead of answering. The third
 * identical lookup in a turn is not executed; the model is told to use what it has.
 */
export const MAX_IDENTICAL_LOOKUPS = 2;

export const REPEATED_LOOKUP_ERROR =
  "Error: repeated external lookup blocked. Use the results you already have to answer, or try a meaningfully different source.";

/** `web_fetch:<url>` / `web_search:<query>`, case-folded with whitespace collapsed; null for other tools. */
export function lookupSignature(tool: string, args: Record<string, unknown>): string | null {
  const value = tool === "web_fetch" ? args.url : tool === "web_search" ? args.query : undefined;
  if (typeof value !== "string" || !value.trim()) return null;
  return `${tool}:${value.trim().replace(/\s+/g, " ").toLowerCase()}`;
}

/** Per-turn counter of identical web lookups; create one per turn. */
export function createExternalLookupGuard(maxIdentical = MAX_IDENTICAL_LOOKUPS) {
  const counts = new Map<string, number>();
  return {
    /** Counts the call; returns the refusal text when it must not run, else null. */
    check(tool: string, args: Record<string, unknown>): string | null {
      const signature = lookupSignature(tool, args);
      if (signature === null) return null;
      const seen = (counts.get(signature) ?? 0) + 1;
      counts.set(signature, seen);
      return seen > maxIdentical ? REPEATED_LOOKUP_ERROR : null;
    },
  };
}

export type ExternalLookupGuard = ReturnType<typeof createExternalLookupGuard>;
