/** The script format of the stand-in LLM (tests/support/stand-in-llm.ts), shared with Worker-side tests. */
export interface ScriptedToolCall {
  name: string;
  arguments: Record<string, unknown> | string;
  id?: string;
}

export interface ScriptStep {
  content?: string;
  reasoning?: string;
  toolCalls?: ScriptedToolCall[];
  /** Call read_file for every path the last user message names in an `[Attached …: <path>]` note, as a model would. */
  readAttachments?: boolean;
  finishReason?: string;
  usage?: { prompt_tokens: number; completion_tokens: number };
  /** Answer with this status (and `body`, `headers`) instead of a completion. */
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait before answering. */
  delayMs?: number;
  /** Never answer (the client must time out). */
  hang?: boolean;
  /** When streaming, split content into chunks of this many characters. */
  chunkSize?: number;
  /** Pause between streamed chunks. */
  chunkDelayMs?: number;
}

