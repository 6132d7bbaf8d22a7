import { describe, expect, it } from "vitest";
import { decryptWecom, encryptWecom, wecomSignature, verifyWecomSignature } from "../../../src/channels/wecom/wecom-crypto.ts";
import { splitByBytes, textPayload, toWecomText } from "../../../src/channels/wecom/wecom-send.ts";

// The URL-verification example of WeCom's "加解密方案说明" (the WXBizMsgCrypt samples).
const DOC = {
  token: "QDG6eK",
  encodingAesKey: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
  corpId: "wx5823bf96d3bd56c7",
  timestamp: "1409659589",
  nonce: "263014780",
  echostr: "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==",
  signature: "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
};

describe("WeCom callback crypto", () => {
  it("should compute the documented msg_signature and decrypt the documented echostr", async () => {
    expect(await wecomSignature(DOC.token, DOC.timestamp, DOC.nonce, DOC.echostr)).toBe(DOC.signature);
    expect(await verifyWecomSignature({ ...DOC, encrypted: DOC.echostr })).toBe(true);
    expect(await decryptWecom(DOC.encodingAesKey, DOC.echostr, DOC.corpId)).toBe("1616140317555161061");
  });

  it("should refuse a wrong token, a ciphertext for another corp and a malformed key", async () => {
    expect(await verifyWecomSignature({ ...DOC, token: "other", encrypted: DOC.echostr })).toBe(false);
    await expect(decryptWecom(DOC.encodingAesKey, DOC.echostr, "wwsomeoneelse")).rejects.toThrow(/another corp id/);
    await expect(decryptWecom("short", DOC.echostr, DOC.corpId)).rejects.toThrow(/43-character/);
  });

  it("should round-trip multi-byte text whatever its length modulo the 32-byte block", async () => {
    for (const text of ["", "a", "x".repeat(12), "你好，世界".repeat(7), "<xml>" + "é".repeat(100) + "</xml>"]) {
      expect(await decryptWecom(DOC.encodingAesKey, await encryptWecom(DOC.encodingAesKey, text, DOC.corpId), DOC.corpId)).toBe(text);
    }
  });
});

describe("WeCom message parts", () => {
  it("should cut Chinese text into parts of at most 2,048 UTF-8 bytes without losing characters", () => {
    const text = "这是一个很长的回答。".repeat(400);
    const parts = splitByBytes(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(new TextEncoder().encode(part).length).toBeLessThanOrEqual(2048);
    expect(parts.join("").replace(/\s/g, "")).toBe(text.replace(/\s/g, ""));
  });

  it("should turn Markdown into readable plain text for the WeChat plugin", () => {
    expect(toWecomText("# Title\n**bold** and `code` and [a link](https://x.test)")).toBe("Title\nbold and code and a link (https://x.test)");
  });

  it("should send markdown by default and plain text with markdown: false", () => {
    const cfg = { agentId: "7", markdown: true } as Parameters<typeof textPayload>[0];
    expect(textPayload(cfg, { chatId: "u" }, "**hi**")).toMatchObject({ touser: "u", agentid: 7, msgtype: "markdown", markdown: { content: "**hi**" } });
    expect(textPayload({ ...cfg, markdown: false }, { chatId: "u" }, "**hi**")).toMatchObject({ msgtype: "text", text: { content: "hi" } });
  });
});
