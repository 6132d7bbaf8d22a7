/**
 * The WebUI in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core) against the real
 * `npm start` gateway with the stand-in LLM: one gateway and one browser for all cases, run in order.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGatewayProcess, type GatewayProcess } from "../support/gateway-process.ts";
import { repoRoot } from "../support/run-cli.ts";
import { startStandInLlm, type StandInLlm } from "../support/stand-in-llm.ts";

const CHROMIUM = "/usr/bin/chromium";
const API_KEY = "webui-key";
const artifacts = path.join(repoRoot, "tests/artifacts");

let llm: StandInLlm;
let gateway: GatewayProcess;
let browser: Browser;
let page: Page;
let persistDir: string;

const script = (match: string, steps: unknown[]) => fetch(`${llm.url}/__scripts`, { method: "POST", body: JSON.stringify({ match, steps }) });
const requests = (match: string) => fetch(`${llm.url}/__requests?match=${encodeURIComponent(match)}`).then((r) => r.json() as Promise<Array<{ body: any }>>);
const token = (label: string) => `${label}-${Math.random().toString(36).slice(2, 10)}`;
const lastAssistant = () => page.locator(".msg.assistant").last();

async function sendMessage(text: string): Promise<void> {
  await page.locator("#input").fill(text);
  await page.locator("#input").press("Enter");
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); .ci/run does.`);
  mkdirSync(artifacts, { recursive: true });
  llm = await startStandInLlm();
  persistDir = mkdtempSync(path.join(os.tmpdir(), "nanobot-webui-"));
  const config = {
    agents: { defaults: { provider: "custom", model: "test-model" } },
    modelPresets: { fast: { provider: "custom", model: "m-fast" } },
    providers: { custom: { apiKey: "sk-test", apiBase: `${llm.url}/v1` } },
    api: { apiKey: API_KEY },
  };
  [gateway, browser] = await Promise.all([
    startGatewayProcess(persistDir, config),
    chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }),
  ]);
  page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
}, 150_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  await llm?.close();
  if (persistDir) rmSync(persistDir, { recursive: true, force: true });
});

describe("WebUI in headless Chromium", () => {
  it("should log in with the API key and render a streamed Markdown reply", { timeout: 30_000 }, async () => {
    await page.goto(gateway.url);
    await expect.poll(() => page.locator("#login").isVisible()).toBe(true);
    await page.locator("#api-key").fill(API_KEY);
    await page.locator("#login button[type=submit]").click();
    await page.locator("#app").waitFor();
    await expect.poll(() => page.locator("#status").textContent()).toBe("");
    const t = token("md");
    await script(t, [{ content: "Here is **bold** and code:\n```js\nconst x = 1; // one\n```\n<script>alert(1)</script>", chunkSize: 6, chunkDelayMs: 5 }]);
    await sendMessage(`show me markdown ${t}`);
    await lastAssistant().locator("pre code .k").first().waitFor();
    expect(await lastAssistant().locator("b").textContent()).toBe("bold");
    expect(await lastAssistant().locator("script").count()).toBe(0);
    expect(await lastAssistant().textContent()).toContain("<script>alert(1)</script>");
    await page.locator(".msg.assistant.streaming").waitFor({ state: "detached" });
    writeFileSync(path.join(artifacts, "webui-streamed-reply.png"), await page.screenshot({ fullPage: true }));
    expect(await page.locator("#chat-list li").count()).toBe(1);
    expect(await page.locator("#chat-list li.active").textContent()).toContain("show me markdown");
  });

  it("should start a second chat and show the first chat's history on switching back", { timeout: 30_000 }, async () => {
    await page.locator("#new-chat").click();
    await expect.poll(() => page.locator("#chat-list li").count()).toBe(2);
    await expect.poll(() => page.locator(".msg").count()).toBe(0);
    const t = token("second");
    await sendMessage(`second chat ${t}`);
    await expect.poll(() => lastAssistant().textContent()).toContain(`echo: second chat ${t}`);
    await page.locator("#chat-list li", { hasText: "show me markdown" }).locator(".chat-open").click();
    await expect.poll(() => page.locator(".msg.user").first().textContent()).toContain("show me markdown");
    expect(await page.locator(".msg").count()).toBe(2);
    expect(await lastAssistant().locator("b").textContent()).toBe("bold");
  });

  it("should stop a long answer with the stop button", { timeout: 30_000 }, async () => {
    const t = token("long");
    await script(t, [{ content: "lorem ipsum ".repeat(500), chunkSize: 6, chunkDelayMs: 20 }]);
    await sendMessage(`a long story ${t}`);
    await page.locator(".msg.assistant.streaming .body:not(:empty)").waitFor();
    await page.locator("#stop").click();
    await page.locator(".msg.assistant.streaming").waitFor({ state: "detached" });
    await expect.poll(() => page.locator("#stop").isHidden()).toBe(true);
    const streamed = (await page.locator(".msg.assistant").nth(-2).textContent()) ?? "";
    expect(streamed.length).toBeGreaterThan(0);
    expect(streamed.length).toBeLessThan("lorem ipsum ".repeat(500).length);
    await expect.poll(() => page.locator(".msg.assistant.note").last().textContent()).toMatch(/Stopped/i);
  });

  it("should upload an image and pass it to the model", { timeout: 30_000 }, async () => {
    const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
    await page.locator("#file").setInputFiles({ name: "pixel.png", mimeType: "image/png", buffer: png });
    await page.locator("#attachments .chip[data-key]").waitFor();
    const t = token("image");
    await sendMessage(`what is in this picture ${t}`);
    await expect.poll(() => lastAssistant().textContent()).toContain(`echo: what is in this picture ${t}`);
    const [request] = await requests(t);
    expect(JSON.stringify(request.body.messages)).toContain(`data:image/png;base64,${png.toString("base64")}`);
  });
});
