import { afterAll, describe, expect, it } from "vitest";
import { checkUrl, checkUrlsInText, safeFetch, safeFetchDetailed, SsrfBlockedError } from "../../../src/security/ssrf-guard.ts";
import { standIns } from "../../support/llm-script.ts";

const si = standIns();
const pagePort = new URL(si.webPages).port;
const canary = new URL(si.canary);
const canaryPort = canary.port;
const canaryHost = canary.hostname; // 127.0.0.2 (127.0.0.1 where it cannot be bound)
const options = { dohUrl: `${si.doh}/dns-query` };

async function hits(base: string, path: string): Promise<number> {
  return ((await (await fetch(`${base}/__hits?path=${encodeURIComponent(path)}`)).json()) as { hits: number }).hits;
}

// Every private spelling is requested through safeFetch with a unique path on a live loopback server, so a
// guard that let one through would show up as a hit on that server, not just as a wrong return value.
const loopbackSpellings = [
  `http://127.0.0.1:${pagePort}`,
  `HTTP://127.0.0.1:${pagePort}`,
  `hTtPs://127.0.0.1:${pagePort}`,
  `http://2130706433:${pagePort}`,
  `http://0x7f000001:${pagePort}`,
  `http://0x7f.1:${pagePort}`,
  `http://0x7F.0x0.0x0.0x1:${pagePort}`,
  `http://0177.0.0.1:${pagePort}`,
  `http://0177.1:${pagePort}`,
  `http://017700000001:${pagePort}`,
  `http://127.1:${pagePort}`,
  `http://127.0.1:${pagePort}`,
  `http://127.0.0.1.:${pagePort}`,
  `http://%31%32%37.0.0.1:${pagePort}`,
  `http://%31%32%37%2e%30%2e%30%2e%31:${pagePort}`,
  `http://evil.example@127.0.0.1:${pagePort}`,
  `http://user:pass@127.0.0.1:${pagePort}`,
  `http://public.example:80@127.0.0.1:${pagePort}`,
  `http://[::ffff:127.0.0.1]:${pagePort}`,
  `http://[::ffff:7f00:1]:${pagePort}`,
  `http://[0:0:0:0:0:ffff:127.0.0.1]:${pagePort}`,
  `http://[::1]:${pagePort}`,
  `http://[0:0:0:0:0:0:0:1]:${pagePort}`,
  `http://[::]:${pagePort}`,
  `http://0.0.0.0:${pagePort}`,
  `http://0:${pagePort}`,
  `http://localhost:${pagePort}`,
  `http://LOCALHOST:${pagePort}`,
  `http://localhost.:${pagePort}`,
  `http://api.localhost:${pagePort}`,
  `http://${canaryHost}:${canaryPort}`,
  `http://2130706434:${canaryPort}`,
  `http://0x7f.2:${canaryPort}`,
  `http://[::ffff:127.0.0.2]:${canaryPort}`,
];

const otherPrivateTargets = [
  "http://10.0.0.1/",
  "http://10.255.255.255/",
  "http://172.16.0.1/",
  "http://172.31.255.255/",
  "http://192.168.1.1/",
  "http://169.254.169.254/latest/meta-data/",
  "http://0xa9fea9fe/latest/meta-data/",
  "http://2852039166/",
  "http://100.64.0.1/",
  "http://100.127.255.254/",
  "http://[fc00::1]/",
  "http://[fd12:3456::1]/",
  "http://[fe80::1]/",
  "http://[::ffff:10.0.0.1]/",
  "http://[::ffff:a9fe:a9fe]/",
  "http://[64:ff9b::a9fe:a9fe]/",
  "http://[2002:a9fe:a9fe::1]/",
  "http://metadata.google.internal/computeMetadata/v1/",
  "http://metadata/",
  "http://db.internal/",
  "http://instance-data/latest/",
];

const privateDnsNames = [
  "http://private.example/",
  "http://loopback.example/",
  "http://mixed.example/",
  "http://mixed-v6.example/",
  "http://ula.example/",
  "http://mapped.example/",
  "http://cname-private.example/",
  "http://metadata-alias.example/",
  "http://10.0.0.1.nip.io/",
  "http://127.0.0.1.nip.io/",
];

const publicTargets = [
  "http://public.example/",
  "HTTPS://Public.Example/some/path?q=1",
  "http://multi-public.example/",
  "http://93.184.216.34/",
  "http://[2606:4700::1111]/",
  "https://8.8.8.8/",
  "http://172.32.0.1/",
  "http://100.128.0.1/",
  "http://192.169.0.1/",
  "http://11.0.0.1/",
];

describe("SSRF guard: private targets", () => {
  let n = 0;
  const requested: Array<{ base: string; path: string }> = [];

  for (const spelling of loopbackSpellings) {
    it(`should refuse ${spelling} before connecting`, async () => {
      const path = `/leak/${++n}`;
      requested.push({ base: spelling.includes(canaryPort) ? si.canary : si.webPages, path });
      const error = await safeFetch(`${spelling}${path}`, {}, options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SsrfBlockedError);
      expect((error as Error).message).toMatch(/^URL validation failed: .*internal\/private/);
    });
  }

  afterAll(async () => {
    for (const { base, path } of requested) expect(await hits(base, path), `${base}${path} was reached`).toBe(0);
  });

  for (const target of [...otherPrivateTargets, ...privateDnsNames]) {
    it(`should refuse ${target} as internal/private`, async () => {
      const result = await checkUrl(target, options);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toContain("internal/private");
    });
  }

  it("should ask the resolver for both A and AAAA records with the DoH JSON accept header", async () => {
    expect((await checkUrl("http://mixed-v6.example/", options)).ok).toBe(false);
    const queries = (await (await fetch(`${si.doh}/__queries`)).json()) as string[];
    expect(queries).toEqual(expect.arrayContaining(["mixed-v6.example/A", "mixed-v6.example/AAAA"]));
  });

  it("should refuse a name the resolver does not know, without calling it internal", async () => {
    const result = await checkUrl("http://nx.example/", options);
    expect(result).toEqual({ ok: false, reason: "Cannot resolve hostname nx.example" });
  });

  for (const target of ["ftp://example.com/file", "file:///etc/passwd", "gopher://example.com:70/", "javascript:alert(1)", "data:text/html,hi"]) {
    it(`should refuse the non-http scheme of ${target}`, async () => {
      const result = await checkUrl(target, options);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason).toMatch(/^Only http\/https allowed, got '/);
    });
  }
});

describe("SSRF guard: allowed targets", () => {
  for (const target of publicTargets) {
    it(`should allow the public target ${target}`, async () => {
      const result = await checkUrl(target, options);
      expect(result.ok).toBe(true);
    });
  }

  it("should allow a private address inside a whitelisted CIDR", async () => {
    const whitelist = ["100.64.0.0/10"];
    expect((await checkUrl("http://100.64.1.1/", { ...options, whitelist })).ok).toBe(true);
    expect((await checkUrl("http://cgnat.example/", { ...options, whitelist })).ok).toBe(true);
    expect((await checkUrl("http://10.0.0.1/", { ...options, whitelist })).ok).toBe(false);
  });

  it("should let a whitelisted 127.0.0.1/32 through but not the rest of 127/8", async () => {
    const whitelist = ["127.0.0.1/32"];
    expect((await checkUrl(`http://0x7f.1:${pagePort}/`, { whitelist })).ok).toBe(true);
    expect((await checkUrl(`http://localhost:${pagePort}/`, { whitelist })).ok).toBe(true);
    expect((await checkUrl("http://127.0.0.2/", { whitelist })).ok).toBe(false);
  });

  it("should skip DNS resolution when no resolver is configured", async () => {
    expect((await checkUrl("http://private.example/", { dohUrl: "" })).ok).toBe(true);
    expect((await checkUrl("http://db.internal/", { dohUrl: "" })).ok).toBe(false);
  });
});

describe("SSRF guard: redirects", () => {
  const whitelist = ["127.0.0.1/32"];
  const redirectTo = (to: string, status = 302) => `${si.webPages}/redirect/${crypto.randomUUID()}?status=${status}&to=${encodeURIComponent(to)}`;

  for (const [label, target] of [
    ["the canary address", `http://${canaryHost}:${canaryPort}/leak/redirect-a`],
    ["a hex spelling of it", `http://0x7f000002:${canaryPort}/leak/redirect-b`],
    ["its IPv4-mapped IPv6 form", `http://[::ffff:127.0.0.2]:${canaryPort}/leak/redirect-c`],
    ["cloud metadata", "http://169.254.169.254/latest/meta-data/"],
    ["a name resolving to a private address", "http://private.example/"],
  ] as const) {
    it(`should refuse a redirect to ${label} before requesting it`, async () => {
      const error = await safeFetch(redirectTo(target), {}, { ...options, whitelist }).catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/^Redirect blocked: .*internal\/private/);
    });
  }

  it("should refuse a 307 redirect to a private address and never reach it", async () => {
    const error = await safeFetch(redirectTo(`http://${canaryHost}:${canaryPort}/leak/redirect-307`, 307), { method: "POST", body: "x" }, { whitelist }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^Redirect blocked/);
    for (const p of ["/leak/redirect-a", "/leak/redirect-b", "/leak/redirect-c", "/leak/redirect-307"]) expect(await hits(si.canary, p)).toBe(0);
  });

  it("should follow up to five allowed redirects and report the chain", async () => {
    const id = crypto.randomUUID();
    const result = await safeFetchDetailed(`${si.webPages}/chain/4/${id}`, {}, { whitelist });
    expect(result.response.status).toBe(200);
    expect(result.finalUrl).toBe(`${si.webPages}/article/${id}`);
    expect(result.chain).toHaveLength(6);
    await result.response.body?.cancel();
  });

  it("should stop after five redirects", async () => {
    const error = await safeFetch(`${si.webPages}/chain/5/${crypto.randomUUID()}`, {}, { whitelist }).catch((e: unknown) => e);
    expect((error as Error).message).toBe("Too many redirects: exceeded limit of 5");
  });

  it("should refuse a redirect to a non-http scheme", async () => {
    const error = await safeFetch(redirectTo("file:///etc/passwd"), {}, { whitelist }).catch((e: unknown) => e);
    expect((error as Error).message).toBe("Redirect blocked: Only http/https allowed, got 'file'");
  });
});

describe("SSRF guard: URLs inside a shell command", () => {
  it("should find the private URL among several in a command", async () => {
    const reason = await checkUrlsInText("curl -s https://93.184.216.34/a && wget 'http://0x7f.1:8080/admin' -O -", options);
    expect(reason).toContain("internal/private");
  });

  it("should pass a command whose URLs are all public", async () => {
    expect(await checkUrlsInText("curl https://public.example/x | head", options)).toBeNull();
  });
});
