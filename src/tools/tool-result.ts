import type { ContentPart } from "../providers/types.ts";

// Apart from ToolContext (src/tools/types.ts) so that agent hooks can name a tool's result without importing
// everything a tool may use (which includes the channels' outbounds, whose turn hooks are agent hooks).

/** A tool's answer: plain text, or parts when it returns images for vision models. */
export type ToolResult = string | ContentPart[];

/** Events tools raise for hooks and logs (policy violations, progress). */
export interface ToolEvent {
  event: string;
  detail: string;
}
