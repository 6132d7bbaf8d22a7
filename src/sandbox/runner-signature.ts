/**
 * The Worker's half of the runner's request signature (sandbox-runner/src/auth.ts verifies it), used by the
 * runner client (exec, sync) and the stdio MCP bridge alike:
 *   X-Runner-Timestamp: unix ms · X-Runner-Nonce: 32 hex chars, never reused
 *   X-Runner-Signature: hex HMAC-SHA256(secret, METHOD \n PATH?QUERY \n TIMESTAMP \n NONCE \n BODY)
 */
const encoder = new TextEncoder();

const hex = (buffer: ArrayBuffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");

export type RunnerSigner = (method: string, pathAndQuery: string, body: Uint8Array) => Promise<Record<string, string>>;

/** A signer for one secret (the HMAC key is imported once). */
export function runnerSigner(secret: string): RunnerSigner {
  let key: Promise<CryptoKey> | null = null;
  return async (method, pathAndQuery, body) => {
    key ??= crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const timestamp = String(Date.now());
    const nonce = crypto.randomUUID().replaceAll("-", "");
    const head = encoder.encode(`${method.toUpperCase()}\n${pathAndQuery}\n${timestamp}\n${nonce}\n`);
    const message = new Uint8Array(head.length + body.length);
    message.set(head);
    message.set(body, head.length);
    const signature = await crypto.subtle.sign("HMAC", await key, message);
    return { "x-runner-timestamp": timestamp, "x-runner-nonce": nonce, "x-runner-signature": hex(signature) };
  };
}
