import { describe, expect, it } from "vitest";
import { qqKeyPair, qqSeed, qqSign, qqValidationSignature, verifyQqSignature } from "../../../src/channels/qq/qq-signature.ts";

// The examples published in QQ's docs (bot.q.qq.com: 事件订阅与通知, 安全和授权).
describe("QQ Ed25519 signatures", () => {
  it("should derive the seed and public key of the documented example", async () => {
    expect(new TextDecoder().decode(qqSeed("naOC0ocQE3shWLAfffVLB1rhYPG7"))).toBe("naOC0ocQE3shWLAfffVLB1rhYPG7naOC");
    const { publicHex } = await qqKeyPair("naOC0ocQE3shWLAfffVLB1rhYPG7");
    const documented = [215, 195, 98, 254, 120, 174, 248, 31, 242, 50, 135, 180, 147, 98, 139, 93, 176, 42, 60, 79, 227, 11, 33, 94, 77, 25, 96, 155, 93, 118, 103, 58];
    expect(publicHex).toBe(documented.map((b) => b.toString(16).padStart(2, "0")).join(""));
  });

  it("should answer the documented op 13 validation with the documented signature", async () => {
    expect(await qqValidationSignature("DG5g3B4j9X2KOErG", "1725442341", "Arq0D5A61EgUu4OxUvOp")).toBe(
      "87befc99c42c651b3aac0278e71ada338433ae26fcb24307bdc5ad38c1adc2d01bcfcadc0842edac85e85205028a1132afe09280305f13aa6909ffc2d652c706",
    );
  });

  // The docs' event example signature cannot be reproduced from the body as printed (its whitespace was lost), so
  // events are checked by round trip with the key the validation vector above pins down.
  it("should accept a signed event and refuse a changed body, a wrong secret or a stale timestamp", async () => {
    const body = '{ "op": 0,"d": {}, "t": "GATEWAY_EVENT_NAME"}';
    const sig = await qqSign("naOC0ocQE3shWLAfffVLB1rhYPG7", "1725442341", body);
    const args = { secret: "naOC0ocQE3shWLAfffVLB1rhYPG7", timestamp: "1725442341", signature: sig, rawBody: body, nowS: 1725442341 + 10 };
    expect(await verifyQqSignature(args)).toBe(true);
    expect(await verifyQqSignature({ ...args, rawBody: body.replace("0", "1") })).toBe(false);
    expect(await verifyQqSignature({ ...args, secret: "another-secret" })).toBe(false);
    expect(await verifyQqSignature({ ...args, nowS: 1725442341 + 301 })).toBe(false);
    expect(await verifyQqSignature({ ...args, signature: "zz" })).toBe(false);
  });
});
