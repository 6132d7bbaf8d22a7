/**
 * The email channel end to end: the real `npm start` (wrangler dev) with mail posted to wrangler's local email
 * endpoint, as the README shows, and the Worker's LLM provider pointed at the stand-in LLM. The endpoint runs the
 * Worker's email() handler the way Email Routing does and reports the replies the handler sent (`format=json`).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../support/run-cli.ts";
import { startGatewayProcess, type GatewayProcess } from "../support/gateway-process.ts";
import { startStandInLlm, type StandInLlm } from "../support/stand-in-llm.ts";

const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");
const AGENT = "agent@nanobot.test";
const ALICE = "alice@example.com";
const PASS = "mx.cloudflare.net; dkim=pass header.d=example.com header.s=s1 header.b=abc; dmarc=pass header.from=example.com policy.dmarc=reject; spf=pass (mx.cloudflare.net: domain of alice@example.com designates 192.0.2.1 as permitted sender) smtp.mailfrom=alice@example.com";

interface EmailResult {
  outcome: string;
  replies: Array<{ messageId: string; sender: string; raw: string }>;
}

function mime(o: { from?: string; id: string; subject: string; body: string; auth?: string | null; inReplyTo?: string; references?: string; attachment?: { name: string; text: string } }): string {
  const headers = [
    ...(o.auth === null ? [] : [`Authentication-Results: ${o.auth ?? PASS}`]),
    `From: Alice <${o.from ?? ALICE}>`,
    `To: <${AGENT}>`,
    `Subject: ${o.subject}`,
    `Message-ID: ${o.id}`,
    `Date: ${new Date().toUTCString()}`,
    ...(o.inReplyTo ? [`In-Reply-To: ${o.inReplyTo}`] : []),
    ...(o.references ? [`References: ${o.references}`] : []),
    "MIME-Version: 1.0",
  ];
  if (!o.attachment) return [...headers, "Content-Type: text/plain; charset=utf-8", "", o.body, ""].join("\r\n");
  return [
    ...headers,
    'Content-Type: multipart/mixed; boundary="b1"',
    "",
    "--b1",
    "Content-Type: text/html; charset=utf-8",
    "",
    `<p>${o.body}</p>`,
    "--b1",
    `Content-Type: text/plain; name="${o.attachment.name}"`,
    `Content-Disposition: attachment; filename="${o.attachment.name}"`,
    "Content-Transfer-Encoding: base64",
    "",
    Buffer.from(o.attachment.text).toString("base64"),
    "--b1--",
    "",
  ].join("\r\n");
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor<T>(check: () => Promise<T | null>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(250);
  }
}

describe("email through wrangler's local email endpoint", () => {
  let llm: StandInLlm;
  let gateway: GatewayProcess;
  let persist: string;

  const send = async (raw: string, from = ALICE): Promise<EmailResult> => {
    const res = await fetch(`${gateway.url}/cdn-cgi/local/email?from=${encodeURIComponent(from)}&to=${encodeURIComponent(AGENT)}&format=json`, { method: "POST", body: raw });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as EmailResult;
  };
  const llmRequests = async (match: string) => (await (await fetch(`${llm.url}/__requests?match=${encodeURIComponent(match)}`)).json()) as Array<{ body: { messages: unknown[] } }>;

  beforeAll(async () => {
    llm = await startStandInLlm();
    persist = mkdtempSync(path.join(os.tmpdir(), "nanobot-email-"));
    gateway = await startGatewayProcess(persist, {
      agents: { defaults: { provider: "custom", model: "test-model" } },
      providers: { custom: { apiKey: "sk-test", apiBase: `${llm.url}/v1` } },
      // replyWaitS short so the slow-model test is quick; the other answers take milliseconds.
      channels: { email: { enabled: true, consentGranted: true, fromAddress: AGENT, allowFrom: [ALICE, "you@example.com"], replyWaitS: 5 } },
    });
  }, 150_000);

  afterAll(async () => {
    await gateway?.stop();
    await llm?.close();
    rmSync(persist, { recursive: true, force: true });
  });

  it("should answer an authenticated mail once, in its thread, and keep the thread's history in one session", async () => {
    const first = await send(mime({ id: "<m1@example.com>", subject: "Plans", body: "first question alpha" }));
    expect(first.outcome).toBe("ok");
    expect(first.replies).toHaveLength(1);
    const reply = first.replies[0].raw;
    expect(reply).toMatch(/^In-Reply-To: <m1@example\.com>/m);
    expect(reply).toMatch(/^References: <m1@example\.com>/m);
    expect(reply).toMatch(/^Subject: Re: Plans/m);
    expect(reply).toMatch(/^From: agent@nanobot\.test/m);
    expect(reply).toContain("echo: Subject: Plans");

    // The same mail delivered again (same Message-ID): no second answer.
    expect((await send(mime({ id: "<m1@example.com>", subject: "Plans", body: "first question alpha" }))).replies).toEqual([]);
    expect(await llmRequests("first question alpha")).toHaveLength(1);

    const second = await send(mime({ id: "<m2@example.com>", subject: "Re: Plans", body: "second question beta", inReplyTo: "<reply@nanobot>", references: "<m1@example.com> <reply@nanobot>" }));
    expect(second.replies).toHaveLength(1);
    const [request] = await llmRequests("second question beta");
    expect(JSON.stringify(request.body.messages)).toContain("first question alpha");
  }, 60_000);

  it("should drop, unanswered and logged, mail that fails SPF/DKIM/DMARC, has no results, or comes from an unlisted sender", async () => {
    const forged = PASS.replace("dmarc=pass", "dmarc=fail");
    expect((await send(mime({ id: "<f1@example.com>", subject: "x", body: "forged gamma", auth: forged }))).replies).toEqual([]);
    expect((await send(mime({ id: "<f2@example.com>", subject: "x", body: "unauthenticated delta", auth: null }))).replies).toEqual([]);
    const mallory = "mallory@example.com";
    expect((await send(mime({ id: "<f3@example.com>", subject: "x", body: "stranger epsilon", from: mallory, auth: PASS.replaceAll("alice", "mallory") }), mallory)).replies).toEqual([]);
    for (const word of ["gamma", "delta", "epsilon"]) expect(await llmRequests(word)).toEqual([]);
    expect(gateway.output()).toContain("sender authentication failed (spf=pass dkim=pass dmarc=fail)");
    expect(gateway.output()).toContain("sender not in channels.email.allowFrom");
  }, 60_000);

  it("should answer the README's sample mail sent with the README's curl line", async () => {
    const section = readme.slice(readme.indexOf("## Email"));
    const eml = /cat > mail\.eml <<'MAIL'\n([\s\S]*?)\nMAIL\n/.exec(section)?.[1];
    const target = /curl -X POST 'http:\/\/127\.0\.0\.1:8787(\/cdn-cgi\/local\/email\?[^']+)' --data-binary @mail\.eml/.exec(section)?.[1];
    expect(eml).toBeDefined();
    expect(target).toBeDefined();
    const res = await fetch(`${gateway.url}${target}`, { method: "POST", body: `${eml!.replace(/\n/g, "\r\n")}\r\n` });
    const result = (await res.json()) as EmailResult;
    expect(result.replies).toHaveLength(1);
    expect(result.replies[0].raw).toContain("What can you do?");
  }, 60_000);

  it("should end the email event after replyWaitS with a slow model, and mail the answer in the thread through SEND_EMAIL", async () => {
    await fetch(`${llm.url}/__scripts`, { method: "POST", body: JSON.stringify({ match: "slow question eta", steps: [{ content: "slow answer eta", delayMs: 8_000 }] }) });
    const started = Date.now();
    const result = await send(mime({ id: "<s1@example.com>", subject: "Slow", body: "slow question eta" }));
    const eventMs = Date.now() - started;
    expect(result.replies).toEqual([]);
    expect(eventMs).toBeLessThan(8_000);
    // wrangler lists what its local send_email binding sent; `email_id` returns one mail with its text.
    const explorer = `${gateway.url}/cdn-cgi/local/explorer/api/local/email/sending`;
    const listed = await waitFor(async () => {
      const { result } = (await (await fetch(explorer)).json()) as { result: Array<{ messageId: string; subject: string; to: string[]; headers: Record<string, string> }> };
      return result.find((m) => m.subject === "Re: Slow") ?? null;
    }, 30_000);
    expect(listed).toMatchObject({ to: [ALICE], headers: { "In-Reply-To": "<s1@example.com>", References: "<s1@example.com>" } });
    const detail = JSON.stringify(await (await fetch(`${explorer}?email_id=${encodeURIComponent(listed.messageId)}`)).json());
    expect(detail).toContain("slow answer eta");
  }, 60_000);

  it("should give the model the HTML body as text and the attachment as a workspace file", async () => {
    const result = await send(mime({ id: "<a1@example.com>", subject: "Report", body: "see the <b>attached</b> notes zeta", attachment: { name: "notes.txt", text: "attached notes body" } }));
    expect(result.replies).toHaveLength(1);
    const [request] = await llmRequests("notes zeta");
    const text = JSON.stringify(request.body.messages);
    expect(text).toContain("see the attached notes zeta");
    expect(text).toMatch(/\[Attached file: media\/[\w-]+notes\.txt /);
  }, 60_000);
});
