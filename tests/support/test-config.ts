import type { StandIns } from "./stand-ins.d.ts";

/** The config the Worker runs with under test: every external service points at a local stand-in. */
export function testConfig(standIns: StandIns) {
  return {
    agents: {
      defaults: {
        provider: "custom",
        model: "test-model",
        maxTokens: 1024,
        contextWindowTokens: 32000,
        maxToolIterations: 6,
        maxToolResultChars: 16000,
        // Short so the timeout tests finish quickly; the stand-in answers in milliseconds otherwise.
        llmTimeoutS: 3,
        streamIdleTimeoutS: 5,
        timezone: "UTC",
        maxConcurrentSubagents: 2,
      },
      isolation: "agent",
    },
    // A subagent profile without exec or write access (tests/integration/subagents.test.ts).
    subagentProfiles: { reader: { tools: ["read_file", "list_dir"], maxIterations: 3, timeoutS: 10 } },
    // `keyless` names a provider with no key configured: the chat must say what to set, not crash.
    // `long` has room for an 8 MB API message (tests/integration/large-api-payload.test.ts); `tiny` has not for a
    // full-length Telegram message (tests/integration/context-limit.test.ts).
    modelPresets: {
      fast: { provider: "custom", model: "m-fast" },
      keyless: { provider: "openai", model: "gpt-keyless" },
      long: { provider: "custom", model: "m-long", contextWindowTokens: 4_000_000 },
      tiny: { provider: "custom", model: "m-tiny", contextWindowTokens: 4096, maxTokens: 256 },
    },
    providers: { custom: { apiKey: "sk-test", apiBase: `${standIns.llm}/v1` } },
    api: { apiKey: "key-123" },
    channels: {
      telegram: { enabled: true, token: "123456:ABC", webhookSecretToken: "tg-secret", allowFrom: ["42"], groupPolicy: "mention", apiRoot: standIns.telegram },
      slack: { enabled: true, botToken: "xoxb-1", signingSecret: "slack-secret", allowFrom: ["U1"], groupPolicy: "mention", apiRoot: `${standIns.slack}/api` },
      wecom: { enabled: true, corpId: "wwstandincorp", agentId: "1000002", secret: "wecom-secret", token: "wecom-token", encodingAesKey: "h5ldafr3JZ1rK1kcC63b9F7ogL0fu7MmoZOSuvoHYXk", allowFrom: ["zhangsan"], apiRoot: standIns.wecom },
      feishu: { enabled: true, appId: "cli_standin", appSecret: "feishu-app-secret", encryptKey: "feishu-encrypt-key", verificationToken: "feishu-verification-token", allowFrom: ["ou_owner"], apiRoot: standIns.feishu },
      dingtalk: { enabled: true, clientId: "dingstandin", clientSecret: "dingtalk-client-secret", allowFrom: ["staff-owner"], apiRoot: standIns.dingtalk },
      qq: { enabled: true, appId: "102000001", secret: "qq-stand-in-secret-0123", allowFrom: ["QQUSER1"], groupPolicy: "mention", apiRoot: standIns.qq },
      // publicKey belongs to the seed tests/support/discord-script.ts signs with.
      discord: { enabled: true, applicationId: "1100000000000000001", publicKey: "71d943f58cd8d9c7c41b9e71653b2071a4e38ddf28b35a69b71171ec377c4ed5", token: "discord-bot-token", allowFrom: ["200000000000000001"], groupPolicy: "mention", apiRoot: standIns.discord, gateway: true },
      email: { enabled: true, consentGranted: true, fromAddress: "agent@nanobot.test", allowFrom: ["owner@example.com"] },
      whatsapp: { enabled: true, phoneNumberId: "1065550001", accessToken: "EAA-test", appSecret: "wa-app-secret", verifyToken: "wa-verify", allowFrom: ["15550100"], apiRoot: `${standIns.whatsapp}/v23.0` },
    },
    // Voice notes go to the stand-in's OpenAI-compatible /audio/transcriptions (tests/support/stand-in-media.ts).
    transcription: { provider: "custom", apiBase: `${standIns.llm}/v1`, apiKey: "sk-test" },
    tools: {
      // On here so the generate_image tests reach the stand-in's /images/generations; off by default (tests/unit/tools/generate-image.test.ts).
      imageGeneration: { enabled: true, provider: "custom", model: "test-image", apiBase: `${standIns.llm}/v1`, apiKey: "sk-test" },
      restrictToWorkspace: true,
      ssrfWhitelist: [],
      mcpServers: {
        // tests/support/stand-in-mcp.ts; short timeout so the hung-tool test is quick.
        test: { url: `${standIns.mcp}/mcp`, toolTimeout: 2 },
        // The same server restricted to one tool (then no resources or prompts either).
        narrow: { url: `${standIns.mcp}/mcp`, enabledTools: ["add"] },
      },
      exec: { enable: true, timeout: 60, runnerUrl: standIns.runner.url, runnerSecret: standIns.runner.secret },
    },
  };
}
