import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../../../src/config/resolve-config.ts";
import { generateImages } from "../../../src/media/image-provider.ts";
import { transcribeAudio } from "../../../src/media/transcribe.ts";
import { standIns, uniqueToken } from "../../support/llm-script.ts";

const parse = (config: unknown) => {
  const result = resolveConfig({ name: "nanobot.config.json", text: JSON.stringify(config) }, undefined, {});
  if (!result.ok) throw new Error(result.error.message);
  return result.config;
};

// The test Worker has no AI binding, as under `npm start`: the defaults must say what to configure instead.
describe("media providers without the AI binding", () => {
  const audio = { bytes: new TextEncoder().encode("OggS"), mimeType: "audio/ogg", name: "voice.ogg" };

  it("should explain that Workers AI transcription needs a deployed Worker", async () => {
    expect((env as { AI?: unknown }).AI).toBeUndefined();
    await expect(transcribeAudio(audio, parse({}), env as never)).rejects.toThrow('Workers AI is only bound in deployed Workers; locally set transcription.provider to "groq", "openai" or "custom" with an apiKey');
  });

  it("should explain that Workers AI image generation needs a deployed Worker", async () => {
    const config = parse({ tools: { imageGeneration: { enabled: true } } });
    await expect(generateImages({ prompt: "a fox", count: 1, references: [] }, config, env as never, new AbortController().signal)).rejects.toThrow("Workers AI is only bound in deployed Workers");
  });

  it("should refuse audio over transcription.maxUploadMb before any call", async () => {
    const big = { ...audio, bytes: new Uint8Array(2 * 1024 * 1024 + 1) };
    await expect(transcribeAudio(big, parse({ transcription: { provider: "custom", apiBase: "http://127.0.0.1:9/v1", maxUploadMb: 2 } }), env as never)).rejects.toThrow("it is 2.0 MB, over the 2 MB limit (transcription.maxUploadMb)");
  });
});

describe("long audio", () => {
  const custom = () => parse({ transcription: { provider: "custom", apiBase: `${standIns().llm}/v1`, apiKey: "sk-test" } });
  const calls = async (match: string): Promise<Array<{ file: { size: number } }>> => (await fetch(`${standIns().llm}/__media-requests?match=${match}`)).json();

  it("should send MP3 over the per-request size in pieces cut at frame boundaries and join the texts", async () => {
    const marker = uniqueToken("mp3");
    await fetch(`${standIns().llm}/__media-scripts`, { method: "POST", body: JSON.stringify({ match: marker, text: "piece" }) });
    const frame = new Uint8Array(417).fill(0x55);
    frame.set([0xff, 0xfb, 0x90, 0x64]);
    frame.set(new TextEncoder().encode(marker), 8);
    const mp3 = new Uint8Array(417 * 30);
    for (let i = 0; i < 30; i++) mp3.set(frame, i * 417);
    const text = await transcribeAudio({ bytes: mp3, mimeType: "audio/mpeg", name: "talk.mp3" }, custom(), env as never, 4000);
    const sent = await calls(marker);
    expect(sent.map((c) => c.file.size)).toEqual([417 * 9, 417 * 9, 417 * 9, 417 * 3]);
    expect(text).toBe("piece piece piece piece");
  });

  it("should refuse other formats over the per-request size with the reason", async () => {
    const marker = uniqueToken("ogg");
    const ogg = new TextEncoder().encode(`OggS ${marker} `.repeat(500));
    await expect(transcribeAudio({ bytes: ogg, mimeType: "audio/ogg", name: "voice.ogg" }, custom(), env as never, 4000)).rejects.toThrow(
      "it is larger than one custom request takes (0.0 MB) and audio/ogg cannot be split without decoding",
    );
    expect(await calls(marker)).toEqual([]);
  });
});
