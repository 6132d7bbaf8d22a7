import type { ChatMessage, ContentPart } from "../providers/types.ts";

/**
 * Token estimate without a tokenizer: ~4 characters per token for Latin text, one token per CJK character,
 * and a flat cost per image. Bundling a BPE table would add ~1 MB to the Worker; budgets keep a safety
 * margin instead (see tests/unit/token-estimate.test.ts for the measured error bound).
 */
const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]/g;
const IMAGE_TOKENS = 800;
const MESSAGE_OVERHEAD = 4;

export function estimateTextTokens(text: string): number {
  if (!text) return 0;
  const cjk = text.match(CJK)?.length ?? 0;
  return Math.ceil((text.length - cjk) / 4) + cjk;
}

function partsTokens(content: string | ContentPart[] | null): number {
  if (content === null) return 0;
  if (typeof content === "string") return estimateTextTokens(content);
  return content.reduce((n, p) => n + (p.type === "text" ? estimateTextTokens(p.text) : IMAGE_TOKENS), 0);
}

export function estimateMessageTokens(message: ChatMessage): number {
  let n = MESSAGE_OVERHEAD + partsTokens(message.content);
  if (message.role === "assistant") {
    for (const call of message.toolCalls ?? []) n += estimateTextTokens(call.name) + estimateTextTokens(call.arguments) + 3;
    if (message.reasoning) n += estimateTextTokens(message.reasoning);
  }
  return n;
}
