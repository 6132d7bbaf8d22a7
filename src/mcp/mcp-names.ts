/** Tool names must fit `^[a-zA-Z0-9_-]{1,64}$` for every provider (OpenAI, Anthropic, Gemini). */
const MAX_NAME = 64;

/** 8 hex chars of FNV-1a: stable, synchronous (WebCrypto digests are async), enough to keep long names apart. */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

const clean = (part: string) => part.replace(/[^a-zA-Z0-9_-]/g, "_");

/**
 * `mcp_<server>_<tool>` (resources: `mcp_<server>_resource_<name>`, prompts: `mcp_<server>_prompt_<name>`), as
 * nanobot names them: other characters become `_`, runs of `_` collapse, and names over 64 characters keep
 * their first 55 characters plus a hash of the whole name.
 */
export function mcpToolName(server: string, name: string, kind: "tool" | "resource" | "prompt" = "tool"): string {
  const middle = kind === "tool" ? "" : `${kind}_`;
  const full = `mcp_${clean(server)}_${middle}${clean(name)}`.replace(/_{2,}/g, "_");
  return full.length <= MAX_NAME ? full : `${full.slice(0, 55)}_${shortHash(full)}`;
}
