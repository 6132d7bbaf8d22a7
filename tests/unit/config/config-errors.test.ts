import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../../src/config/resolve-config.ts";

const file = (text: string) => ({ name: "nanobot.config.json", text });
const errorOf = (text: string, override?: string, env: Record<string, unknown> = {}): string => {
  const result = resolveConfig(file(text), override, env);
  if (result.ok) throw new Error("expected an invalid config");
  return result.error.message;
};
const positionOfV8 = (text: string): number => {
  try {
    JSON.parse(text);
  } catch (err) {
    return Number(/position (\d+)/.exec((err as Error).message)?.[1]);
  }
  throw new Error("valid JSON");
};

describe("config syntax errors", () => {
  it("should name file, line and column of a trailing comma, where JSON.parse stops", () => {
    const text = '{\n  "agents": {\n    "defaults": { "model": "m" },\n  }\n}\n';
    expect(errorOf(text)).toBe("nanobot.config.json: line 4, column 3: trailing comma before '}' (remove the last comma)");
    expect(positionOfV8(text)).toBe(text.indexOf("  }\n}") + 2);
    expect(errorOf('{"tools": {"ssrfWhitelist": ["a",\n]}}')).toBe("nanobot.config.json: line 2, column 1: trailing comma before ']' (remove the last comma)");
  });

  it("should point at a missing comma and say where the previous entry ends", () => {
    const text = '{\n  "agents": {}\n  "tools": {}\n}';
    expect(errorOf(text)).toBe("nanobot.config.json: line 3, column 3: missing comma after the entry that ends at line 2, column 14");
    expect(positionOfV8(text)).toBe(text.indexOf('"tools"'));
  });

  it("should reject comments, single quotes and unquoted names with a hint", () => {
    expect(errorOf('{\n  // my model\n  "agents": {}\n}')).toMatch(/^nanobot\.config\.json: line 2, column 3: comments are not allowed in JSON/);
    expect(errorOf('{ /* x */ }')).toMatch(/^nanobot\.config\.json: line 1, column 3: comments are not allowed/);
    expect(errorOf("{'agents': {}}")).toBe("nanobot.config.json: line 1, column 2: unexpected single quote (JSON strings and names use double quotes) (expected a property name in double quotes)");
    expect(errorOf("{agents: {}}")).toBe("nanobot.config.json: line 1, column 2: property names must be in double quotes");
  });

  it("should call an empty file an error, and a truncated one an unexpected end", () => {
    expect(errorOf("")).toBe("nanobot.config.json: line 1, column 1: the file is empty (an empty config is {})");
    expect(errorOf("  \n")).toBe("nanobot.config.json: line 2, column 1: the file is empty (an empty config is {})");
    expect(errorOf('{"agents": {\n')).toMatch(/^nanobot\.config\.json: line 2, column 1: unexpected end of the file/);
    expect(errorOf('{"a": "x\n"}')).toMatch(/^nanobot\.config\.json: line 1, column 9: unterminated string/);
  });

  it("should accept a byte-order mark and CRLF line ends", () => {
    expect(resolveConfig(file('\uFEFF{\r\n  "agents": {}\r\n}\r\n'), undefined, {}).ok).toBe(true);
    expect(errorOf('{\r\n  "agents": {},\r\n}')).toBe("nanobot.config.json: line 3, column 1: trailing comma before '}' (remove the last comma)");
  });

  it("should name NANOBOT_CONFIG for its own syntax errors and treat it empty as no override", () => {
    expect(errorOf("{}", '{"agents": {},}')).toBe("NANOBOT_CONFIG: line 1, column 15: trailing comma before '}' (remove the last comma)");
    expect(errorOf("{}", "[1]")).toBe("NANOBOT_CONFIG: must be a JSON object ({…}), got an array");
    expect(errorOf('"agents"')).toBe("nanobot.config.json: must be a JSON object ({…}), got a string");
    expect(resolveConfig(file("{}"), "", {}).ok).toBe(true);
    expect(resolveConfig(file("{}"), "  ", {}).ok).toBe(true);
  });
});

describe("unknown config keys", () => {
  it("should name the path and the closest known key at the top level and nested", () => {
    expect(errorOf('{"agnets": {}}')).toBe('agnets: unknown key (did you mean "agents"?)');
    expect(errorOf('{"agents": {"defaults": {"modle": "x"}}}')).toBe('agents.defaults.modle: unknown key (did you mean "model"?)');
    expect(errorOf('{"channels": {"telegram": {"enabled": true, "tokn": "x"}}}')).toBe('channels.telegram.tokn: unknown key (did you mean "token"?)');
    expect(errorOf('{"tools": {"web": {"search": {"timeout": 5}}}}')).toBe('tools.web.search.timeout: unknown key (did you mean "timeoutS"?)');
  });

  it("should check keys inside user-named maps and arrays, but not the names themselves", () => {
    expect(errorOf('{"providers": {"my_llm": {"apiKey": "k", "apiBsae": "http://x"}}}')).toBe('providers.my_llm.apiBsae: unknown key (did you mean "apiBase"?)');
    expect(errorOf('{"modelPresets": {"fast": {"modle": "m"}}}')).toBe('modelPresets.fast.modle: unknown key (did you mean "model"?)');
    expect(errorOf('{"agents": {"defaults": {"fallbackModels": [{"model": "m", "tempreature": 1}]}}}')).toBe(
      'agents.defaults.fallbackModels.0.tempreature: unknown key (did you mean "temperature"?)',
    );
    const free = resolveConfig(
      file(JSON.stringify({
        providers: { lm_studio: { apiBase: "http://x", extraHeaders: { "X-Any_Header": "1" }, extraBody: { top_k: 3 } } },
        modelPresets: { my_fast_one: { model: "m" } },
        tools: { mcpServers: { my_server: { command: "x", env: { SOME_VAR: "1" }, headers: { "x-y": "z" } } } },
      })),
      undefined,
      {},
    );
    expect(free.ok).toBe(true);
  });

  it("should list the known keys when nothing is close, and reject unsupported channels", () => {
    expect(errorOf('{"api": {"zzzzzz": 1}}')).toBe("api.zzzzzz: unknown key (known keys: apiKey, maxBodyBytes)");
    expect(errorOf('{"channels": {"telegarm": {}}}')).toBe('channels.telegarm: unknown key (did you mean "telegram"?)');
  });

  it("should still accept snake_case spellings of known keys", () => {
    const result = resolveConfig(file('{"agents": {"defaults": {"max_tokens": 5, "llm_timeout_s": 3}}, "tools": {"restrict_to_workspace": false}}'), undefined, {});
    expect(result.ok && [result.config.agents.defaults.maxTokens, result.config.agents.defaults.llmTimeoutS, result.config.tools.restrictToWorkspace]).toEqual([5, 3, false]);
    expect(errorOf('{"agents": {"defaults": {"max_tokenz": 5}}}')).toBe('agents.defaults.max_tokenz: unknown key (did you mean "max_tokens"?)');
    expect(errorOf('{"tools": {"web": {"fetch": {"cache_ttl_s": "x"}}}}')).toBe("tools.web.fetch.cache_ttl_s: expected number, got string");
    expect(errorOf('{"providers": {"lm_studio": {"api_base": 1}}}')).toBe("providers.lm_studio.api_base: expected string, got number");
  });

  it("should find unknown keys that come from NANOBOT_CONFIG too", () => {
    expect(errorOf("{}", '{"agents": {"defualts": {}}}')).toBe('agents.defualts: unknown key (did you mean "defaults"?)');
  });
});

describe("config type errors", () => {
  it("should name the expected and the received type, never the value", () => {
    expect(errorOf('{"agents": {"defaults": {"maxTokens": "lots"}}}')).toBe("agents.defaults.maxTokens: expected number, got string");
    expect(errorOf('{"channels": {"telegram": {"enabled": "yes"}}}')).toBe("channels.telegram.enabled: expected boolean, got string");
    expect(errorOf('{"api": {"apiKey": 12345678}}')).toBe("api.apiKey: expected string, got number");
    expect(errorOf('{"tools": {"ssrfWhitelist": "10.0.0.1"}}')).toBe("tools.ssrfWhitelist: expected array, got string");
    expect(errorOf('{"agents": []}')).toBe("agents: expected object, got array");
    expect(errorOf('{"agents": {"defaults": {"maxTokens": 1.5}}}')).toBe("agents.defaults.maxTokens: expected a whole number");
    expect(errorOf('{"modelPresets": {"fast": {}}}')).toBe("modelPresets.fast.model: missing (expected string)");
    expect(errorOf('{"agents": {"defaults": {"fallbackModels": [7]}}}')).toBe("agents.defaults.fallbackModels.0: expected string or object, got number");
    expect(errorOf('{"api": {"apiKey": ["sk-very-secret"]}}')).not.toContain("sk-very-secret");
  });

  it("should say where a missing ${VAR} is read from", () => {
    expect(errorOf('{"channels": {"telegram": {"token": "${TELEGRAM_BOT_TOKEN}"}}}')).toBe(
      "channels.telegram.token: environment variable 'TELEGRAM_BOT_TOKEN' is not set (locally: add TELEGRAM_BOT_TOKEN=… to .dev.vars, " +
        "npm start reloads by itself when .dev.vars changes; deployed: npx wrangler secret put TELEGRAM_BOT_TOKEN --env production)",
    );
  });
});
