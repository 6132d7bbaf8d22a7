/**
 * Accepts snake_case spellings by rewriting keys to camelCase before validation. Keys of maps whose keys are
 * user-chosen names (provider names such as `lm_studio`, preset names, MCP server names, headers, env) are kept.
 */
const NAME_MAPS = new Set([
  "providers",
  "modelPresets",
  "mcpServers",
  "headers",
  "extraHeaders",
  "extraBody",
  "env",
  "subagentProfiles",
]);

export const toCamel = (key: string) => key.replace(/_([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());

export const toSnake = (key: string) => key.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`);

export function normalizeConfigKeys(value: unknown, keepKeys = false): unknown {
  if (Array.isArray(value)) return value.map((v) => normalizeConfigKeys(v));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [rawKey, child] of Object.entries(value)) {
    const key = keepKeys ? rawKey : toCamel(rawKey);
    // The children of a name map are ordinary config objects again.
    out[key] = keepKeys ? normalizeConfigKeys(child) : normalizeConfigKeys(child, NAME_MAPS.has(key));
  }
  return out;
}
