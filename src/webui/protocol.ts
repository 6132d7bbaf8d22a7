import { z } from "zod";

/** nanobot's chat id rule: ids travel in URLs, session keys and logs, so the alphabet stays small. */
export const CHAT_ID_PATTERN = /^[A-Za-z0-9_:-]{1,64}$/;
/** Client ids become part of session keys (`websocket:<client>:<chat>`), so no `:` here. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

const mediaRef = z.object({ key: z.string().min(1).max(512), mimeType: z.string().min(1).max(100), name: z.string().max(200).optional() });
export type MediaRefFrame = z.infer<typeof mediaRef>;

/**
 * Typed client → server envelopes (a JSON object with a string `type`), as nanobot's channel reads them:
 * unknown fields are ignored. `new_chat.chat_id/title`, `message.media` (refs from POST /webui/upload),
 * `rename_chat` and `delete_chat` are this project's extensions; a nanobot client never sends them.
 */
export const envelopeSchemas = {
  new_chat: z.object({ chat_id: z.string().optional(), title: z.string().max(200).optional() }),
  attach: z.object({ chat_id: z.unknown() }),
  message: z.object({
    chat_id: z.unknown().optional(),
    content: z.unknown().optional(),
    media: z.array(mediaRef).max(8).optional(),
    turn_id: z.string().max(128).optional().catch(undefined),
    webui: z.boolean().optional().catch(undefined),
  }),
  rename_chat: z.object({ chat_id: z.unknown(), title: z.string().min(1).max(200) }),
  delete_chat: z.object({ chat_id: z.unknown() }),
} as const;

export type EnvelopeType = keyof typeof envelopeSchemas;
export type ClientFrame = { [K in EnvelopeType]: { type: K } & z.infer<(typeof envelopeSchemas)[K]> }[EnvelopeType];

export interface ChatSummary {
  chat_id: string;
  title: string;
  updated_at: number;
}

export interface TranscriptEntry {
  role: "user" | "assistant";
  text: string;
  media?: MediaRefFrame[];
  at: number;
}

/** nanobot's per-call tool event (utils/progress_events.py), carried in `message.tool_events`. */
export interface ToolEventPayload {
  version: 1;
  phase: "start" | "end" | "error";
  call_id: string;
  name: string;
  arguments: Record<string, unknown>;
  result: unknown;
  error: string | null;
  files: unknown[];
  embeds: unknown[];
  /** Extension: how long the call took (end/error only). */
  duration_ms?: number;
}

/** nanobot's file edit entry (utils/file_edit_events.py), carried in `file_edit.edits`. */
export interface FileEditPayload {
  version: 1;
  call_id: string;
  tool: string;
  path: string;
  absolute_path: string;
  phase: "start" | "end" | "error";
  added: number;
  deleted: number;
  approximate: boolean;
  status: "editing" | "done" | "error";
  error?: string;
}

export interface GoalStateBlob {
  active: boolean;
  status?: string;
  objective?: string;
  recap?: string;
}

/**
 * Server → client frames, keyed `event` as nanobot's are (channels/websocket/runtime.py). Every chat event
 * carries `chat_id`. Fields marked "ext" are this project's additions; nanobot clients ignore them.
 */
export type ServerEvent =
  | { event: "ready"; chat_id: string; client_id: string; chats: ChatSummary[] /* ext */ }
  | { event: "attached"; chat_id: string; history: TranscriptEntry[] /* ext */ }
  | { event: "message_accepted"; chat_id: string; turn_id: string; starts_turn: boolean; active_turn_id?: string; started_at?: number }
  | { event: "user_message"; chat_id: string; text: string; starts_turn: boolean; turn_id?: string; active_turn_id?: string; started_at?: number; media?: MediaRefFrame[] }
  | { event: "goal_status"; chat_id: string; status: "running" | "idle"; started_at?: number; turn_id?: string }
  | { event: "delta"; chat_id: string; text: string; stream_id: string }
  | { event: "stream_end"; chat_id: string; stream_id: string; resuming?: boolean }
  | { event: "reasoning_delta"; chat_id: string; text: string; stream_id: string }
  | { event: "reasoning_end"; chat_id: string; stream_id: string }
  | { event: "message"; chat_id: string; text: string; turn_id?: string; kind?: "tool_hint" | "progress"; tool_events?: ToolEventPayload[]; latency_ms?: number }
  | { event: "file_edit"; chat_id: string; edits: FileEditPayload[] }
  | { event: "turn_model_updated"; chat_id: string; model_name: string; model_preset?: string }
  | { event: "turn_end"; chat_id: string; turn_id?: string; latency_ms?: number; usage?: Record<string, number>; goal_state?: GoalStateBlob; stop_reason: string /* ext */ }
  | { event: "goal_state"; chat_id: string; goal_state: GoalStateBlob }
  | { event: "session_updated"; chat_id: string; scope?: "metadata" | "thread"; chats: ChatSummary[] /* ext */ }
  | { event: "runtime_model_updated"; model_name: string; model_preset?: string }
  | { event: "error"; detail: string; chat_id?: string; turn_id?: string; reason?: string; code?: string /* ext */ };
