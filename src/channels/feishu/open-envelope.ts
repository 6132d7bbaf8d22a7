import type { FeishuConfig } from "../../config/sections/channel-feishu.ts";
import { matchesSecret } from "../../security/timing-safe-equal.ts";
import { decryptFeishu, verifyFeishuSignature } from "./feishu-crypto.ts";
import type { FeishuEnvelope } from "./parse-event.ts";

/** The body as JSON, decrypted when Feishu encrypted it; null when it is neither. */
export async function openFeishuBody(f: FeishuConfig, rawBody: string): Promise<{ envelope: FeishuEnvelope; encrypted: boolean } | null> {
  let body: FeishuEnvelope;
  try {
    body = JSON.parse(rawBody) as FeishuEnvelope;
  } catch {
    return null;
  }
  if (!body || typeof body !== "object") return null;
  if (typeof body.encrypt !== "string") return { envelope: body, encrypted: false };
  if (!f.encryptKey) return null;
  const plain = await decryptFeishu(f.encryptKey, body.encrypt);
  if (plain === null) return null;
  try {
    return { envelope: JSON.parse(plain) as FeishuEnvelope, encrypted: true };
  } catch {
    return null;
  }
}

/**
 * Feishu's request checks, all that apply. With an Encrypt Key: the body must be encrypted with it and every
 * event carry a valid `X-Lark-Signature` (the URL check is not signed, as Feishu documents; decrypting it
 * proves the key). With a Verification Token: the token inside must match. A config with neither cannot
 * tell Feishu from anyone, so everything is refused (doctor says so).
 */
export async function verifyFeishuRequest(f: FeishuConfig, headers: Headers, rawBody: string): Promise<boolean> {
  if (!f.encryptKey && !f.verificationToken) return false;
  const opened = await openFeishuBody(f, rawBody);
  if (!opened) return false;
  const { envelope } = opened;
  if (f.encryptKey) {
    if (!opened.encrypted) return false;
    if (envelope.type !== "url_verification") {
      const signed = await verifyFeishuSignature({
        encryptKey: f.encryptKey,
        timestamp: headers.get("x-lark-request-timestamp"),
        nonce: headers.get("x-lark-request-nonce"),
        signature: headers.get("x-lark-signature"),
        rawBody,
      });
      if (!signed) return false;
    }
  }
  if (f.verificationToken) return matchesSecret(envelope.header?.token ?? envelope.token ?? "", f.verificationToken);
  return true;
}
