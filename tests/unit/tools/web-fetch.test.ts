import { describe, expect, it } from "vitest";
import { UNTRUSTED_BANNER, webFetchTool } from "../../../src/tools/web-fetch/web-fetch-tool.ts";
import { standIns } from "../../support/llm-script.ts";
import { ARTICLE_PHRASES, ARTICLE_TITLE, BIG_BODY_BYTES, CHROME_PHRASES, PNG_1PX_BASE64 } from "../../support/web-fixtures.ts";
import { runWebTool } from "./web-harness.ts";

const si = standIns();
// The page server is on 127.0.0.1, so these tests whitelist exactly that address; resolution is off (no names).
const tools = (web: Record<string, unknown> = {}) => ({ ssrfWhitelist: ["127.0.0.1/32"], web: { dohUrl: "", ...web } });
const unique = () => crypto.randomUUID();

interface FetchResult {
  url: string;
  finalUrl: string;
  status: number;
  extractor: string;
  truncated: boolean;
  length: number;
  untrusted: boolean;
  text: string;
}

async function fetchJson(args: Record<string, unknown>, web: Record<string, unknown> = {}): Promise<FetchResult> {
  const result = await runWebTool(webFetchTool, args, tools(web));
  if (typeof result !== "string") throw new Error("expected text");
  if (result.startsWith("Error")) throw new Error(result);
  return JSON.parse(result) as FetchResult;
}

const pageHits = async (path: string) =>
  ((await (await fetch(`${si.webPages}/__hits?path=${encodeURIComponent(path)}`)).json()) as { hits: number }).hits;

describe("web_fetch", () => {
  it("should turn an article page into markdown without its navigation, ads and footer", async () => {
    const url = `${si.webPages}/article/${unique()}`;
    const result = await fetchJson({ url });
    expect(result).toMatchObject({ url, finalUrl: url, status: 200, extractor: "readability", truncated: false, untrusted: true });
    expect(result.text.startsWith(`${UNTRUSTED_BANNER}\n\n`)).toBe(true);
    expect(result.text).toContain(ARTICLE_TITLE);
    for (const phrase of ARTICLE_PHRASES) expect(result.text).toContain(phrase);
    for (const chrome of CHROME_PHRASES) expect(result.text).not.toContain(chrome);
    expect(result.text).toMatch(/^## The lamp$/m);
    expect(result.text).toContain(`[sweep the sea](${si.webPages}/history/lens)`);
    expect(result.text).toContain("**beam**");
    expect(result.length).toBe(result.text.length - UNTRUSTED_BANNER.length - 2);
  });

  it("should return plain text without markdown syntax in text mode", async () => {
    const result = await fetchJson({ url: `${si.webPages}/article/${unique()}`, extractMode: "text" });
    expect(result.text).toContain(ARTICLE_PHRASES[1]);
    expect(result.text).not.toContain("**beam**");
    expect(result.text).not.toContain("](");
  });

  it("should cut a 20 MB response at the byte cap without reading it whole", async () => {
    const path = `/big/${unique()}`;
    const result = await fetchJson({ url: `${si.webPages}${path}`, maxChars: 5_000_000 }, { fetch: { maxBytes: 1024 * 1024 } });
    expect(result.truncated).toBe(true);
    expect(result.length).toBe(1024 * 1024);
    const stats = (await (await fetch(`${si.webPages}/__stats?path=${encodeURIComponent(path)}`)).json()) as { bytes: number; finished: boolean };
    expect(stats.finished).toBe(false);
    expect(stats.bytes).toBeLessThan(BIG_BODY_BYTES);
  });

  it("should cut the text at maxChars and say so", async () => {
    const result = await fetchJson({ url: `${si.webPages}/article/${unique()}`, maxChars: 200 });
    expect(result.truncated).toBe(true);
    expect(result.length).toBe(200);
  });

  it("should pretty-print JSON", async () => {
    const result = await fetchJson({ url: `${si.webPages}/json/${unique()}` });
    expect(result.extractor).toBe("json");
    expect(result.text).toContain('{\n  "name": "nanobot",\n  "tags": [\n    "edge",');
  });

  it("should return plain text as it is", async () => {
    const result = await fetchJson({ url: `\`${si.webPages}/text/${unique()}\`` });
    expect(result.extractor).toBe("raw");
    expect(result.text.endsWith("plain text body\nsecond line")).toBe(true);
  });

  it("should return an image as an image part for vision models", async () => {
    const result = await runWebTool(webFetchTool, { url: `${si.webPages}/image/${unique()}.png` }, tools());
    expect(Array.isArray(result)).toBe(true);
    if (!Array.isArray(result)) return;
    expect(result[1]).toEqual({ type: "image", mimeType: "image/png", data: PNG_1PX_BASE64 });
    expect(JSON.parse((result[0] as { text: string }).text)).toMatchObject({ extractor: "image", untrusted: true });
  });

  it("should return a PDF's text with page markers", async () => {
    const page = await fetchJson({ url: `${si.webPages}/pdf/${unique()}` });
    expect(page.extractor).toBe("pdf");
    expect(page.text).toBe(`${UNTRUSTED_BANNER}\n\n--- Page 1 ---\nAnnual report 2026\nProfit rose\n\n--- Page 2 ---\nOutlook: steady`);
  });

  it("should return a DOCX's text, and explain a document that is not what its type says", async () => {
    const page = await fetchJson({ url: `${si.webPages}/docx/${unique()}` });
    expect(page).toMatchObject({ extractor: "docx", text: `${UNTRUSTED_BANNER}\n\nMeeting notes\nShip on Friday` });
    const octet = await fetchJson({ url: `${si.webPages}/octet-pdf/${unique()}` });
    expect(octet).toMatchObject({ extractor: "pdf", text: `${UNTRUSTED_BANNER}\n\n--- Page 1 ---\nServed as octet-stream` });
    const fake = await runWebTool(webFetchTool, { url: `${si.webPages}/fake-pdf/${unique()}` }, tools());
    expect(fake).toMatch(/^Error: .* says it is application\/pdf but is not a PDF\/DOCX\/XLSX\/PPTX file/);
  });

  it("should refuse a private address with the security-boundary note", async () => {
    const path = `/leak/web-fetch-${unique()}`;
    const result = await runWebTool(webFetchTool, { url: `${si.canary}${path}` }, tools());
    expect(result).toMatch(/^Error: URL validation failed: Blocked: .* is an internal\/private address/);
    expect(result).toContain("non-bypassable security boundary");
    const canaryHits = ((await (await fetch(`${si.canary}/__hits?path=${encodeURIComponent(path)}`)).json()) as { hits: number }).hits;
    expect(canaryHits).toBe(0);
  });

  it("should refuse a redirect from an allowed page to a private address", async () => {
    const to = encodeURIComponent(`${si.canary}/leak/web-fetch-redirect`);
    const result = await runWebTool(webFetchTool, { url: `${si.webPages}/redirect/${unique()}?to=${to}` }, tools());
    expect(result).toMatch(/^Error: Redirect blocked: .*internal\/private/);
    expect(result).toContain("non-bypassable security boundary");
  });

  it("should serve a repeated fetch from the cache", async () => {
    const path = `/counted/${unique()}`;
    const first = await fetchJson({ url: `${si.webPages}${path}` });
    const second = await fetchJson({ url: `${si.webPages}${path}` });
    expect(first.text).toContain("visit number 1");
    expect(second.text).toContain("visit number 1");
    expect(await pageHits(path)).toBe(1);
  });

  it("should refetch a page sent with Cache-Control: no-store", async () => {
    const path = `/no-store/${unique()}`;
    await fetchJson({ url: `${si.webPages}${path}` });
    const second = await fetchJson({ url: `${si.webPages}${path}` });
    expect(second.text).toContain("visit number 2");
    expect(await pageHits(path)).toBe(2);
  });

  it("should use Jina Reader when enabled", async () => {
    const url = `${si.webPages}/article/${unique()}`;
    const result = await fetchJson({ url }, { fetch: { useJinaReader: true, jinaBaseUrl: `${si.search}/jina-reader` } });
    expect(result.extractor).toBe("jina");
    expect(result.text).toContain(`Jina reader markdown for ${url}`);
  });

  it("should never send a URL carrying credentials to Jina Reader", async () => {
    const id = unique();
    const url = `${si.webPages}/article/${id}?token=s3cret`;
    const result = await fetchJson({ url }, { fetch: { useJinaReader: true, jinaBaseUrl: `${si.search}/jina-reader` } });
    expect(result.extractor).toBe("readability");
    const seen = (await (await fetch(`${si.search}/__requests?provider=jina-reader`)).json()) as Array<{ path: string }>;
    expect(seen.some((r) => r.path.includes(id))).toBe(false);
  });
});
