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
import { startStandInTelegram } from "../support/stand-in-telegram.ts";

const CHROMIUM = "/usr/bin/chromium";
const API_KEY = "webui-key";
const artifacts = path.join(repoRoot, "tests/artifacts");

let llm: StandInLlm;
let gateway: GatewayProcess;
let browser: Browser;
let page: Page;
let persistDir: string;
let telegram: Awaited<ReturnType<typeof startStandInTelegram>>;

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
  [llm, telegram] = await Promise.all([startStandInLlm(), startStandInTelegram()]);
  persistDir = mkdtempSync(path.join(os.tmpdir(), "nanobot-webui-"));
  const config = {
    agents: { defaults: { provider: "custom", model: "test-model" } },
    modelPresets: { fast: { provider: "custom", model: "m-fast" } },
    providers: { custom: { apiKey: "sk-test", apiBase: `${llm.url}/v1` } },
    api: { apiKey: API_KEY },
    // Nobody is allowed yet, so a DM creates a pairing request for the settings view to approve.
    channels: { telegram: { enabled: true, token: "123456:ABC", webhookSecretToken: "tg-secret", allowFrom: [], apiRoot: telegram.url, streaming: false } },
    // generate_image against the stand-in's /images/generations (tests/support/stand-in-media.ts).
    tools: { imageGeneration: { enabled: true, provider: "custom", model: "test-image", apiBase: `${llm.url}/v1`, apiKey: "sk-test" } },
  };
  [gateway, browser] = await Promise.all([
    startGatewayProcess(persistDir, config),
    chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }),
  ]);
  page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  page.setDefaultTimeout(8_000); // a stuck step fails with its own message, not as a test timeout
}, 150_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  await llm?.close();
  await telegram?.close();
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
    await page.locator("#chat-list li.active").waitFor();
    const t = token("md");
    await script(t, [{ content: "Here is **bold** and code:\n```js\nconst x = 1; // one\n```\n<script>alert(1)</script>", chunkSize: 6, chunkDelayMs: 5 }]);
    await sendMessage(`show me markdown ${t}`);
    // Rendered while streaming: highlighting appears before the answer is complete.
    await lastAssistant().locator("pre code .k").first().waitFor();
    expect(await lastAssistant().locator("b").textContent()).toBe("bold");
    await page.locator(".msg.assistant.streaming").waitFor({ state: "detached" });
    // The model's HTML arrives as text, never as an element (checked once the whole answer is in).
    expect(await lastAssistant().locator("script").count()).toBe(0);
    expect(await lastAssistant().textContent()).toContain("<script>alert(1)</script>");
    writeFileSync(path.join(artifacts, "webui-streamed-reply.png"), await page.screenshot({ fullPage: true }));
    expect(await page.locator("#chat-list li").count()).toBe(1);
    expect(await page.locator("#chat-list li.active").textContent()).toContain("show me markdown");
  });

  it("should refuse a wrong API key on the login form", { timeout: 30_000 }, async () => {
    const other = await browser.newPage();
    await other.goto(gateway.url);
    await other.locator("#api-key").fill("wrong-key");
    await other.locator("#login button[type=submit]").click();
    await expect.poll(() => other.locator("#login-error").textContent()).toContain("Invalid API key");
    expect(await other.locator("#login").isVisible()).toBe(true);
    await other.close();
  });

  it("should list the tools an answer ran, with arguments and timing, in its timeline", { timeout: 30_000 }, async () => {
    const t = token("tools");
    await script(t, [{ reasoning: "I should look around.", toolCalls: [{ name: "list_dir", arguments: { path: "." } }] }, { content: "Looked." }]);
    await sendMessage(`look around ${t}`);
    await expect.poll(() => lastAssistant().locator(".body").textContent()).toBe("Looked.");
    const timeline = lastAssistant().locator("details.timeline");
    await timeline.locator("summary").click();
    expect(await timeline.locator(".tool-name").textContent()).toBe("list_dir");
    expect(JSON.parse((await timeline.locator(".tool-args").textContent()) ?? "{}")).toEqual({ path: "." });
    expect(await timeline.locator(".tool-ms").textContent()).toMatch(/^\d+ ms$/);
    expect(await timeline.locator(".reasoning").textContent()).toContain("I should look around.");
    expect(await timeline.locator("summary").textContent()).toMatch(/1 tool/);
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
    // The first chat's two exchanges (Markdown, tools) come back from the server's transcript.
    expect(await page.locator(".msg").count()).toBe(4);
    expect(await page.locator(".msg.assistant").first().locator("b").textContent()).toBe("bold");
    expect(await lastAssistant().textContent()).toBe("Looked.");
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

  it("should show an image the agent generated in the chat", { timeout: 30_000 }, async () => {
    const t = token("draw");
    await script(t, [{ toolCalls: [{ name: "generate_image", arguments: { prompt: `a red pixel ${t}` } }] }, { content: `Here is your pixel ${t}.` }]);
    await sendMessage(`draw a pixel ${t}`);
    const image = lastAssistant().locator("img.inline-image");
    await image.waitFor();
    await expect.poll(() => image.evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).complete && (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(1);
    expect(await image.getAttribute("alt")).toMatch(/^generated\/[\w-]+\.png$/);
    expect(await lastAssistant().textContent()).toContain(`Here is your pixel ${t}.`);
  });

  it("should show channels and approve a pairing request in settings", { timeout: 30_000 }, async () => {
    const dm = { update_id: 9001, message: { message_id: 1, date: Math.floor(Date.now() / 1000), from: { id: 777, is_bot: false, first_name: "Stranger" }, chat: { id: 777, type: "private", first_name: "Stranger" }, text: "hello?" } };
    const res = await fetch(`${gateway.url}/webhooks/telegram`, { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": "tg-secret" }, body: JSON.stringify(dm) });
    expect(res.status).toBe(200);
    await page.locator("#open-settings").click();
    await page.locator("#settings table").first().waitFor();
    expect(await page.locator("#settings").textContent()).toContain("telegram");
    const row = page.locator("#settings tr", { hasText: "777" });
    await expect.poll(async () => {
      if (await row.count()) return true;
      await page.locator("#open-settings").click(); // the DM may still be on its way: reload the view
      return false;
    }, { timeout: 10_000 }).toBe(true);
    await row.locator("button", { hasText: "Approve" }).click();
    await expect.poll(() => page.locator("#settings tr", { hasText: "777" }).count()).toBe(0);
    const approved = await fetch(`${gateway.url}/admin/pairing`, { headers: { authorization: `Bearer ${API_KEY}` } }).then((r) => r.json() as Promise<{ approved: Array<{ senderId: string }> }>);
    expect(approved.approved.map((a) => a.senderId)).toContain("777");
  });

  it("should work on a phone screen: the chat list is a drawer, dark mode toggles, Shift+Enter adds a line", { timeout: 30_000 }, async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const sidebarLeft = async () => (await page.locator("#sidebar").boundingBox())!.x;
    // The drawer slides out with a 0.2 s transition once the viewport turns narrow.
    await expect.poll(sidebarLeft).toBeLessThan(0);
    await page.locator("#toggle-sidebar").click();
    await expect.poll(sidebarLeft).toBeGreaterThanOrEqual(0);
    // Dark mode toggles from the drawer on a phone.
    await page.locator("#theme").click();
    const bg = await page.evaluate<string>("getComputedStyle(document.body).backgroundColor");
    await page.locator("#theme").click();
    expect(await page.evaluate<string>("getComputedStyle(document.body).backgroundColor")).not.toBe(bg);
    await page.locator("#chat-list li .chat-open").first().click();
    await expect.poll(sidebarLeft).toBeLessThan(0);
    await page.locator("#messages").waitFor();
    await page.locator("#input").click();
    await page.keyboard.type("line one");
    await page.keyboard.press("Shift+Enter");
    await page.keyboard.type("line two");
    expect(await page.locator("#input").inputValue()).toBe("line one\nline two");
    const composer = (await page.locator("#composer").boundingBox())!;
    expect(composer.y + composer.height).toBeLessThanOrEqual(844);
    expect(composer.width).toBeLessThanOrEqual(390);
    writeFileSync(path.join(artifacts, "webui-phone.png"), await page.screenshot());
  });
});
