import { timingSafeEqual } from "../../security/timing-safe-equal.ts";

/**
 * WeCom's callback encryption ("加解密方案", WXBizMsgCrypt): the EncodingAESKey is 43 base64 characters of a
 * 32-byte AES-256 key, the IV is the key's first 16 bytes, plaintext is `random(16) ‖ length(4, big-endian) ‖
 * message ‖ receiveid` padded PKCS#7 to a multiple of 32 bytes (not AES's 16), and `msg_signature` is the SHA-1
 * hex of token, timestamp, nonce and the ciphertext sorted as strings and concatenated.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const BLOCK = 32;

export class WecomCryptoError extends Error {}

function base64Bytes(text: string): Uint8Array {
  const binary = atob(text);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function bytesBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The 32-byte AES key an EncodingAESKey stands for; a key of the wrong shape is a config error, not a bad request. */
export function aesKeyOf(encodingAesKey: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]{43}$/.test(encodingAesKey)) throw new WecomCryptoError("channels.wecom.encodingAesKey must be the 43-character EncodingAESKey from the WeCom console");
  return base64Bytes(`${encodingAesKey}=`);
}

export async function wecomSignature(token: string, timestamp: string, nonce: string, encrypted: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-1", encoder.encode([token, timestamp, nonce, encrypted].sort().join("")));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export async function verifyWecomSignature(args: { token: string; timestamp: string; nonce: string; encrypted: string; signature: string }): Promise<boolean> {
  if (!args.token || !args.signature) return false;
  return timingSafeEqual(args.signature.toLowerCase(), await wecomSignature(args.token, args.timestamp, args.nonce, args.encrypted));
}

const importKey = (key: Uint8Array, usage: "encrypt" | "decrypt") => crypto.subtle.importKey("raw", key, { name: "AES-CBC" }, false, [usage]);

/**
 * Decrypts a callback's `Encrypt` (or a URL check's `echostr`) and checks it was meant for `receiveId` (the corp
 * id). WebCrypto's AES-CBC insists on 16-byte PKCS#7, which WeCom's 32-byte padding is not; so one extra
 * ciphertext block, the encryption of a full 16-byte padding block chained on the last real block, is appended:
 * WebCrypto strips exactly that block and returns the raw plaintext, whose own padding is removed here.
 */
export async function decryptWecom(encodingAesKey: string, encrypted: string, receiveId: string): Promise<string> {
  const key = aesKeyOf(encodingAesKey);
  let cipher: Uint8Array;
  try {
    cipher = base64Bytes(encrypted);
  } catch {
    throw new WecomCryptoError("ciphertext is not base64");
  }
  if (!cipher.length || cipher.length % 16) throw new WecomCryptoError("ciphertext length is not a multiple of the AES block");
  const lastBlock = cipher.subarray(cipher.length - 16);
  const encKey = await importKey(key, "encrypt");
  // AES-CBC(E) of sixteen 0x10 bytes with IV = last block: its first output block is the needed padding block.
  const padBlock = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-CBC", iv: lastBlock }, encKey, new Uint8Array(16).fill(16))).subarray(0, 16);
  const extended = new Uint8Array(cipher.length + 16);
  extended.set(cipher);
  extended.set(padBlock, cipher.length);
  const plain = new Uint8Array(await crypto.subtle.decrypt({ name: "AES-CBC", iv: key.subarray(0, 16) }, await importKey(key, "decrypt"), extended));
  const pad = plain[plain.length - 1];
  if (pad < 1 || pad > BLOCK) throw new WecomCryptoError("bad padding");
  const body = plain.subarray(16, plain.length - pad);
  if (body.length < 4) throw new WecomCryptoError("plaintext too short");
  const length = new DataView(body.buffer, body.byteOffset, 4).getUint32(0);
  if (4 + length > body.length) throw new WecomCryptoError("length field out of range");
  const message = decoder.decode(body.subarray(4, 4 + length));
  const to = decoder.decode(body.subarray(4 + length));
  if (to !== receiveId) throw new WecomCryptoError("message was encrypted for another corp id");
  return message;
}

/** The inverse of decryptWecom (passive replies and tests): random prefix, length, message, receive id, 32-byte PKCS#7. */
export async function encryptWecom(encodingAesKey: string, message: string, receiveId: string): Promise<string> {
  const key = aesKeyOf(encodingAesKey);
  const msg = encoder.encode(message);
  const to = encoder.encode(receiveId);
  const size = 20 + msg.length + to.length;
  const pad = BLOCK - (size % BLOCK);
  const plain = new Uint8Array(size + pad).fill(pad, size);
  plain.set(crypto.getRandomValues(new Uint8Array(16)));
  new DataView(plain.buffer).setUint32(16, msg.length);
  plain.set(msg, 20);
  plain.set(to, 20 + msg.length);
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-CBC", iv: key.subarray(0, 16) }, await importKey(key, "encrypt"), plain));
  // WebCrypto added its own full padding block (the plaintext was already block-aligned): drop it.
  return bytesBase64(sealed.subarray(0, plain.length));
}
