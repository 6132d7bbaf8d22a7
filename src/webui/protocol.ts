import { z } from "zod";

/** nanobot's chat id rule: ids travel in URLs, session keys and logs, so the alphabet stays small. */
export const CHAT_ID_PATTERN = /^[A-Za-z0-9_:-]{1,64}$/;
/** Client ids become part of session keys (`websocket:<client>:<chat>`), so no `:` here. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

const chatId = z.string().regex(CHAT_ID_PATTERN, "chat_id must match ^[A-Za-z0-9_:-]{1,64}$");
const mediaRef = z.object({ key: z.string().min(1).max(512), mimeType: z.string().min(1).max(100), name: z.string().max(200).optional() });

/** Client → server frames (besides plain text, which goes to the socket's current chat). */
export const clientFrameSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("new_chat"), chat_id: chatId.optional(), title: z.string().max(200).optional() }),
  z.object({ type: z.literal("attach"), chat_id: chatId }),
  z.object({ type: z.literal("message"), chat_id: chatId.optional(), content: z.string().max(1_000_000), media: z.array(mediaRef).max(8).optional() }),
  z.object({ type: z.literal("rename_chat"), chat_id: chatId, title: z.string().min(1).max(200) }),
  z.object({ type: z.literal("delete_chat"), chat_id: chatId }),
]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;

export interface ChatSummary {
  chat_id: string;
  title: string;
  updated_at: number;
}

export interface TranscriptEntry {
  role: "user" | "assistant";
  text: string;
  media?: z.infer<typeof mediaRef>[];
  at: number;
}

/** Server → client events; every chat-related event carries `chat_id` (as nanobot's do). */
export type ServerEvent =
  | { type: "ready"; client_id: string; chat_id: string; chats: ChatSummary[] }
  | { type: "attached"; chat_id: string; history: TranscriptEntry[] }
  | { type: "user_message"; chat_id: string; text: string; media?: TranscriptEntry["media"] }
  | { type: "delta"; chat_id: string; text: string; stream_id: string }
  | { type: "stream_end"; chat_id: string; stream_id: string }
  | { type: "reasoning_delta"; chat_id: string; text: string; stream_id: string }
  | { type: "reasoning_end"; chat_id: string; stream_id: string }
  | { type: "tool_start"; chat_id: string; id: string; name: string; args: unknown }
  | { type: "tool_end"; chat_id: string; id: string; name: string; ms: number; is_error: boolean }
  | { type: "message"; chat_id: string; text: string }
  | { type: "turn_end"; chat_id: string; stop_reason: string }
  | { type: "session_updated"; chats: ChatSummary[] }
  | { type: "error"; detail: string; code: string; chat_id?: string };
