import { describe, expect, it } from "vitest";
import { decryptFeishu, encryptFeishu, feishuSignature, verifyFeishuSignature } from "../../../src/channels/feishu/feishu-crypto.ts";

describe("Feishu event crypto", () => {
  it("should decrypt the open platform's published example (key \"test key\" → \"hello world\")", async () => {
    expect(await decryptFeishu("test key", "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=")).toBe("hello world");
  });

  it("should give null for another key, a damaged body and a short body", async () => {
    expect(await decryptFeishu("other key", "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=")).toBeNull();
    expect(await decryptFeishu("test key", "not base64 at all!")).toBeNull();
    expect(await decryptFeishu("test key", btoa("0123456789abcdef"))).toBeNull();
  });

  it("should round-trip what encryptFeishu produces, with a fresh IV each time", async () => {
    const a = await encryptFeishu("k", '{"x":"飞书"}');
    expect(a).not.toBe(await encryptFeishu("k", '{"x":"飞书"}'));
    expect(await decryptFeishu("k", a)).toBe('{"x":"飞书"}');
  });

  it("should sign as sha256 hex of timestamp + nonce + key + body and check the window", async () => {
    const sig = await feishuSignature("key", "1700000000", "n1", "{}");
    expect(sig).toMatch(/^[0-9a-f]{64}$/);
    const args = { encryptKey: "key", timestamp: "1700000000", nonce: "n1", signature: sig, rawBody: "{}" };
    expect(await verifyFeishuSignature({ ...args, nowS: 1700000100 })).toBe(true);
    expect(await verifyFeishuSignature({ ...args, nowS: 1700000301 })).toBe(false);
    expect(await verifyFeishuSignature({ ...args, rawBody: "{ }", nowS: 1700000000 })).toBe(false);
  });
});

describe("Feishu domain", () => {
  it("should use open.feishu.cn for \"feishu\", open.larksuite.com for \"lark\", and apiRoot when set", async () => {
    const { feishuApiRoot } = await import("../../../src/channels/feishu/feishu-api.ts");
    expect(feishuApiRoot({ domain: "feishu", apiRoot: "" })).toBe("https://open.feishu.cn");
    expect(feishuApiRoot({ domain: "lark", apiRoot: "" })).toBe("https://open.larksuite.com");
    expect(feishuApiRoot({ domain: "lark", apiRoot: "http://127.0.0.1:9/" })).toBe("http://127.0.0.1:9");
  });
});
