import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../../src/config/resolve-config.ts";
import { openAiSize } from "../../../src/media/image-provider.ts";
import { mediaEndpoint } from "../../../src/media/endpoint.ts";
import { builtinTools } from "../../../src/tools/builtin-tools.ts";

const parse = (config: unknown) => {
  const result = resolveConfig({ name: "nanobot.config.json", text: JSON.stringify(config) }, undefined, {});
  if (!result.ok) throw new Error(result.error.message);
  return result.config;
};

describe("media config", () => {
  it("should default to Workers AI transcription with nanobot's limits and image generation off", () => {
    const config = parse({});
    expect(config.transcription).toEqual({ provider: "workers_ai", model: "", apiKey: "", apiBase: "", maxDurationSec: 120, maxUploadMb: 25 });
    expect(config.tools.imageGeneration).toEqual({ enabled: false, provider: "workers_ai", model: "", apiKey: "", apiBase: "" });
    expect(builtinTools(config, {} as never).map((t) => t.name)).not.toContain("generate_image");
    expect(builtinTools(parse({ tools: { imageGeneration: { enabled: true } } }), {} as never).map((t) => t.name)).toContain("generate_image");
  });

  it("should refuse an unknown transcription provider naming the key", () => {
    const result = resolveConfig({ name: "nanobot.config.json", text: JSON.stringify({ transcription: { provider: "whisperx" } }) }, undefined, {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain("transcription.provider");
  });

  it("should take the endpoint from the section, then providers.<name>, then the public default", () => {
    const config = parse({ providers: { groq: { apiKey: "gsk-shared" } } });
    expect(mediaEndpoint(config, "transcription", { provider: "groq", apiBase: "", apiKey: "" })).toEqual({ apiBase: "https://api.groq.com/openai/v1", apiKey: "gsk-shared" });
    expect(mediaEndpoint(config, "transcription", { provider: "openai", apiBase: "http://127.0.0.1:9/v1/", apiKey: "k" })).toEqual({ apiBase: "http://127.0.0.1:9/v1", apiKey: "k" });
    expect(() => mediaEndpoint(config, "transcription", { provider: "custom", apiBase: "", apiKey: "" })).toThrow("transcription.apiBase is not set");
  });

  it("should map aspect ratios and sizes to OpenAI's image sizes", () => {
    expect(openAiSize("1:1")).toBe("1024x1024");
    expect(openAiSize("16:9")).toBe("1536x1024");
    expect(openAiSize("9:16")).toBe("1024x1536");
    expect(openAiSize("16:9", "512x512")).toBe("512x512");
    expect(openAiSize(undefined, "2K")).toBeUndefined();
  });
});
