import { describe, expect, it } from "vitest";
import { configSecrets, redactor } from "../../../src/doctor/redact.ts";

describe("doctor redaction", () => {
  it("should collect secret config values, header and env values, but not lists of names or numbers", () => {
    const secrets = configSecrets({
      providers: { openrouter: { apiKey: "sk-or-1234", extraHeaders: { "X-Title": "my-title-value" } } },
      channels: { telegram: { token: "1:abc", webhookSecretToken: "wh-secret" }, slack: { signingSecret: "sign-me" } },
      tools: { exec: { allowedEnvKeys: ["HOME"], runnerSecret: "runner-s" }, mcpServers: { a: { env: { TOKEN_X: "mcp-env-value" } } } },
      agents: { defaults: { maxTokens: 1024 } },
    });
    expect(secrets.sort()).toEqual(["1:abc", "mcp-env-value", "my-title-value", "runner-s", "sign-me", "sk-or-1234", "wh-secret"].sort());
  });

  it("should replace every occurrence, longest first, and leave short values alone", () => {
    const redact = redactor(["abcd", "abcdef", "k", 42]);
    expect(redact("x abcdef y abcd z k")).toBe("x *** y *** z k");
  });
});
