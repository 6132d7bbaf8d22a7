import type { Config } from "../config/schema.ts";

/** Public endpoints of the OpenAI-compatible media providers (used when neither the section nor providers.<name> sets one). */
const DEFAULT_API_BASES: Record<string, string> = {
  openai: "https://api.openai.com/v1",
  groq: "https://api.groq.com/openai/v1",
  openrouter: "https://openrouter.ai/api/v1",
};

export interface MediaEndpoint {
  apiBase: string;
  apiKey: string;
}

/**
 * Where an OpenAI-compatible media call goes: the section's own apiBase/apiKey, else the chat provider of the
 * same name (`providers.openai`, `providers.groq`, …), else the provider's public endpoint. A missing base is
 * an error naming the key to set.
 */
export function mediaEndpoint(config: Config, section: string, settings: { provider: string; apiBase: string; apiKey: string }): MediaEndpoint {
  const shared = config.providers[settings.provider];
  const apiBase = (settings.apiBase || shared?.apiBase || DEFAULT_API_BASES[settings.provider] || "").replace(/\/+$/, "");
  if (!apiBase) throw new Error(`${section}.apiBase is not set (provider "${settings.provider}" has no public endpoint)`);
  return { apiBase, apiKey: settings.apiKey || shared?.apiKey || "" };
}

/** An error body's message, cut short: enough for the model or a log line, never the whole page. */
export async function httpFailure(res: Response): Promise<string> {
  const text = await res.text().catch(() => "");
  let message = text;
  try {
    const parsed = JSON.parse(text) as { error?: { message?: string } | string };
    message = typeof parsed.error === "string" ? parsed.error : (parsed.error?.message ?? text);
  } catch {
    // not JSON: keep the text
  }
  return `HTTP ${res.status}${message ? `: ${message.replace(/\s+/g, " ").slice(0, 160)}` : ""}`;
}
