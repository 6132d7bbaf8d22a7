/**
 * The provider registry: the single source of truth for names, default API bases, key env vars,
 * detection hints and quirks. Adding a provider is one entry in PROVIDERS. Order is match priority for
 * auto-detection (nanobot's order: direct/custom, gateways, native SDKs, direct vendors, local servers).
 */

export type BackendKind = "openai" | "anthropic" | "workers-ai";

/**
 * How a provider switches thinking on or off for the OpenAI-compatible backend:
 * - reasoning_effort: top-level `reasoning_effort` (OpenAI, most vendors)
 * - gateway: `reasoning: {effort}` (OpenRouter)
 * - thinking_type: `thinking: {type: "enabled"|"disabled"}` (DeepSeek, Zhipu, Volcengine, Moonshot)
 * - enable_thinking: `enable_thinking: boolean` (DashScope / Qwen, SiliconFlow)
 * - reasoning_split: `reasoning_split: true` (MiniMax returns reasoning separately)
 * - anthropic: native extended thinking (Anthropic backend)
 * - none: never sent
 */
export type ThinkingStyle = "reasoning_effort" | "gateway" | "thinking_type" | "enable_thinking" | "reasoning_split" | "anthropic" | "none";

export interface ProviderSpec {
  /** Config key under `providers` and the model-prefix used for detection (`deepseek/deepseek-chat`). */
  readonly name: string;
  readonly displayName: string;
  readonly backend: BackendKind;
  /** Null: the SDK default (openai, anthropic) or no default at all (custom, vllm). */
  readonly defaultApiBase: string | null;
  /** Read from the Worker env (vars/secrets) when the config has no apiKey. */
  readonly envKey: string | null;
  /** Lower-case substrings of a model name that point at this provider. */
  readonly keywords: readonly string[];
  /** API key prefixes that identify this provider (`sk-or-` → OpenRouter). */
  readonly keyPrefixes: readonly string[];
  /** Substrings of an apiBase that identify this provider (`11434` → Ollama). */
  readonly baseKeywords: readonly string[];
  /** A server the user runs: usable without a key once its apiBase is configured. */
  readonly isLocal: boolean;
  /** Routes to many vendors; model names keep their `vendor/` prefix. */
  readonly isGateway: boolean;
  /** Usable without a key when an apiBase is configured (custom endpoints). */
  readonly isDirect: boolean;
  readonly supportsPromptCaching: boolean;
  /** Remove a leading `<name>/` from the model before sending it (`anthropic/claude-x` → `claude-x`). */
  readonly stripModelPrefix: boolean;
  readonly maxTokensParam: "max_tokens" | "max_completion_tokens";
  readonly thinkingStyle: ThinkingStyle;
  /** Send earlier `reasoning_content` back with assistant messages (required by DeepSeek/Kimi thinking + tools). */
  readonly replayReasoning: boolean;
  readonly defaultHeaders?: Readonly<Record<string, string>>;
}

type SpecInput = Pick<ProviderSpec, "name" | "displayName"> & Partial<ProviderSpec>;

function spec(input: SpecInput): ProviderSpec {
  const backend = input.backend ?? "openai";
  return {
    backend,
    defaultApiBase: null,
    envKey: null,
    keywords: [],
    keyPrefixes: [],
    baseKeywords: [],
    isLocal: false,
    isGateway: false,
    isDirect: false,
    supportsPromptCaching: backend === "anthropic",
    stripModelPrefix: !input.isGateway,
    maxTokensParam: "max_tokens",
    thinkingStyle: backend === "anthropic" ? "anthropic" : "reasoning_effort",
    replayReasoning: false,
    ...input,
  };
}

export const PROVIDERS: readonly ProviderSpec[] = [
  spec({ name: "custom", displayName: "Custom (OpenAI-compatible)", isDirect: true, envKey: "CUSTOM_API_KEY" }),
  spec({
    name: "openrouter",
    displayName: "OpenRouter",
    defaultApiBase: "https://openrouter.ai/api/v1",
    envKey: "OPENROUTER_API_KEY",
    keywords: ["openrouter"],
    keyPrefixes: ["sk-or-"],
    baseKeywords: ["openrouter"],
    isGateway: true,
    supportsPromptCaching: true,
    thinkingStyle: "gateway",
  }),
  spec({
    name: "siliconflow",
    displayName: "SiliconFlow",
    defaultApiBase: "https://api.siliconflow.cn/v1",
    envKey: "SILICONFLOW_API_KEY",
    keywords: ["siliconflow"],
    baseKeywords: ["siliconflow"],
    isGateway: true,
    thinkingStyle: "enable_thinking",
  }),
  spec({
    name: "volcengine",
    displayName: "Volcengine Ark",
    defaultApiBase: "https://ark.cn-beijing.volces.com/api/v3",
    envKey: "VOLCENGINE_API_KEY",
    keywords: ["volcengine", "doubao"],
    baseKeywords: ["volces"],
    isGateway: true,
    thinkingStyle: "thinking_type",
  }),
  spec({
    name: "anthropic",
    displayName: "Anthropic",
    backend: "anthropic",
    envKey: "ANTHROPIC_API_KEY",
    keywords: ["anthropic", "claude"],
    keyPrefixes: ["sk-ant-"],
    baseKeywords: ["anthropic.com"],
  }),
  spec({
    name: "openai",
    displayName: "OpenAI",
    envKey: "OPENAI_API_KEY",
    keywords: ["openai", "gpt-", "chatgpt", "o1-", "o3-", "o4-"],
    baseKeywords: ["api.openai.com"],
    maxTokensParam: "max_completion_tokens",
  }),
  spec({
    name: "deepseek",
    displayName: "DeepSeek",
    defaultApiBase: "https://api.deepseek.com",
    envKey: "DEEPSEEK_API_KEY",
    keywords: ["deepseek"],
    baseKeywords: ["deepseek"],
    thinkingStyle: "thinking_type",
    replayReasoning: true,
  }),
  spec({
    name: "gemini",
    displayName: "Google Gemini",
    defaultApiBase: "https://generativelanguage.googleapis.com/v1beta/openai/",
    envKey: "GEMINI_API_KEY",
    keywords: ["gemini"],
    keyPrefixes: ["AIza"],
    baseKeywords: ["googleapis"],
  }),
  spec({
    name: "zhipu",
    displayName: "Zhipu AI",
    defaultApiBase: "https://open.bigmodel.cn/api/paas/v4",
    envKey: "ZHIPUAI_API_KEY",
    keywords: ["zhipu", "glm"],
    baseKeywords: ["bigmodel"],
    thinkingStyle: "thinking_type",
  }),
  spec({
    name: "dashscope",
    displayName: "DashScope (Qwen)",
    defaultApiBase: "https://dashscope.aliyuncs.com/compatible-mode/v1",
    envKey: "DASHSCOPE_API_KEY",
    keywords: ["qwen", "dashscope"],
    baseKeywords: ["dashscope"],
    thinkingStyle: "enable_thinking",
  }),
  spec({
    name: "moonshot",
    displayName: "Moonshot (Kimi)",
    defaultApiBase: "https://api.moonshot.ai/v1",
    envKey: "MOONSHOT_API_KEY",
    keywords: ["moonshot", "kimi"],
    baseKeywords: ["moonshot"],
    thinkingStyle: "thinking_type",
    replayReasoning: true,
  }),
  spec({
    name: "minimax",
    displayName: "MiniMax",
    defaultApiBase: "https://api.minimax.io/v1",
    envKey: "MINIMAX_API_KEY",
    keywords: ["minimax"],
    baseKeywords: ["minimax"],
    thinkingStyle: "reasoning_split",
  }),
  spec({
    name: "mistral",
    displayName: "Mistral",
    defaultApiBase: "https://api.mistral.ai/v1",
    envKey: "MISTRAL_API_KEY",
    keywords: ["mistral", "mixtral", "codestral", "magistral", "devstral"],
    baseKeywords: ["mistral.ai"],
    thinkingStyle: "none",
  }),
  spec({
    name: "groq",
    displayName: "Groq",
    defaultApiBase: "https://api.groq.com/openai/v1",
    envKey: "GROQ_API_KEY",
    keywords: ["groq"],
    keyPrefixes: ["gsk_"],
    baseKeywords: ["groq.com"],
  }),
  spec({
    name: "vllm",
    displayName: "vLLM",
    envKey: "HOSTED_VLLM_API_KEY",
    keywords: ["vllm"],
    isLocal: true,
  }),
  spec({
    name: "ollama",
    displayName: "Ollama",
    defaultApiBase: "http://localhost:11434/v1",
    envKey: "OLLAMA_API_KEY",
    keywords: ["ollama"],
    baseKeywords: ["11434"],
    isLocal: true,
    thinkingStyle: "none",
  }),
  spec({
    name: "lm_studio",
    displayName: "LM Studio",
    defaultApiBase: "http://localhost:1234/v1",
    envKey: "LM_STUDIO_API_KEY",
    keywords: ["lm_studio", "lmstudio"],
    baseKeywords: ["1234"],
    isLocal: true,
    thinkingStyle: "none",
  }),
  spec({
    name: "workers_ai",
    displayName: "Cloudflare Workers AI",
    backend: "workers-ai",
    keywords: ["@cf/", "@hf/"],
    stripModelPrefix: true,
    thinkingStyle: "none",
  }),
];

const BY_NAME = new Map(PROVIDERS.map((s) => [s.name, s]));

export function findSpec(name: string): ProviderSpec | undefined {
  return BY_NAME.get(name);
}

/** A name under `providers` that is not in the registry: an OpenAI-compatible (or Anthropic) endpoint. */
export function customSpec(name: string, backend: "openai" | "anthropic" = "openai"): ProviderSpec {
  return spec({ name, displayName: name, backend, isDirect: true });
}

/** The spec whose key prefix matches `apiKey` (longest prefix wins: `sk-or-` over a bare `sk-`). */
export function specForKeyPrefix(apiKey: string): ProviderSpec | undefined {
  let best: ProviderSpec | undefined;
  let bestLen = 0;
  for (const s of PROVIDERS)
    for (const p of s.keyPrefixes)
      if (apiKey.startsWith(p) && p.length > bestLen) {
        best = s;
        bestLen = p.length;
      }
  return best;
}
