import { CHAT_ID_PATTERN, envelopeSchemas, type ClientFrame, type EnvelopeType } from "./protocol.ts";

/** What one inbound frame asks for, decided the way nanobot's channel decides it. */
export type ParsedFrame =
  | { kind: "text"; content: string } // legacy: goes to the connection's default chat
  | { kind: "envelope"; frame: ClientFrame }
  | { kind: "ignore" }
  | { kind: "error"; detail: string; code: string; chat_id?: string };

export const isChatId = (value: unknown): value is string => typeof value === "string" && CHAT_ID_PATTERN.test(value);

/**
 * nanobot's rules (channels/websocket/runtime.py `_parse_envelope`, `_parse_inbound_payload`): a JSON object
 * with a string `type` is a typed envelope; another JSON object gives its first non-empty `content`, `text`
 * or `message` string (none: ignored); text that is not valid JSON, or does not start with "{", is the
 * message itself; blank frames are ignored.
 */
export function parseFrame(raw: string): ParsedFrame {
  const text = raw.trim();
  if (!text) return { kind: "ignore" };
  if (!text.startsWith("{")) return { kind: "text", content: text };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { kind: "text", content: text };
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) return { kind: "ignore" };
  const object = data as Record<string, unknown>;
  if (typeof object.type !== "string") {
    for (const key of ["content", "text", "message"]) {
      const value = object[key];
      if (typeof value === "string" && value.trim()) return { kind: "text", content: value };
    }
    return { kind: "ignore" };
  }
  const type = object.type;
  if (!Object.hasOwn(envelopeSchemas, type)) return { kind: "error", detail: `unknown type: '${type}'`, code: "unknown_type" };
  const parsed = envelopeSchemas[type as EnvelopeType].safeParse(object);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || type}: ${i.message}`).join("; ");
    return { kind: "error", detail: `invalid ${type} frame: ${issues}`, code: "bad_frame" };
  }
  return { kind: "envelope", frame: { type, ...parsed.data } as ClientFrame };
}
