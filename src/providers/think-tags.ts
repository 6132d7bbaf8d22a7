/**
 * Models served through OpenAI-compatible endpoints (Qwen, DeepSeek-R1 distills, MiniMax, local servers)
 * often put their reasoning inline as `<think>…</think>` (or `<thinking>`, `<thought>`). The user must not
 * see it as the answer, so it is moved into `reasoning`, both for whole texts and chunk by chunk while streaming.
 */

const TAGS = ["think", "thinking", "thought"] as const;
const OPEN = TAGS.map((t) => `<${t}>`);

export interface SplitText {
  content: string;
  reasoning: string;
}

/** Splits a complete text; an unclosed tag at the end counts as reasoning (the model was cut off while thinking). */
export function splitThinkTags(text: string): SplitText {
  const stream = new ThinkTagStream();
  const a = stream.push(text);
  const b = stream.end();
  return { content: a.content + b.content, reasoning: a.reasoning + b.reasoning };
}

/** Incremental splitter: tags may arrive split across chunks (`<thi` + `nk>`). */
export class ThinkTagStream {
  private buffer = "";
  private closeTag: string | null = null;

  push(chunk: string): SplitText {
    this.buffer += chunk;
    const out: SplitText = { content: "", reasoning: "" };
    for (;;) {
      if (this.closeTag) {
        const end = this.buffer.indexOf(this.closeTag);
        if (end >= 0) {
          out.reasoning += this.buffer.slice(0, end);
          this.buffer = this.buffer.slice(end + this.closeTag.length);
          this.closeTag = null;
          continue;
        }
        const keep = partialSuffix(this.buffer, [this.closeTag]);
        out.reasoning += this.buffer.slice(0, this.buffer.length - keep);
        this.buffer = this.buffer.slice(this.buffer.length - keep);
        return out;
      }
      let first = -1;
      let tag = "";
      for (const open of OPEN) {
        const at = this.buffer.indexOf(open);
        if (at >= 0 && (first < 0 || at < first)) {
          first = at;
          tag = open;
        }
      }
      if (first >= 0) {
        out.content += this.buffer.slice(0, first);
        this.buffer = this.buffer.slice(first + tag.length);
        this.closeTag = `</${tag.slice(1)}`;
        continue;
      }
      const keep = partialSuffix(this.buffer, OPEN);
      out.content += this.buffer.slice(0, this.buffer.length - keep);
      this.buffer = this.buffer.slice(this.buffer.length - keep);
      return out;
    }
  }

  /** Flushes what is held back waiting for a possible tag. */
  end(): SplitText {
    const rest = this.buffer;
    this.buffer = "";
    return this.closeTag ? { content: "", reasoning: rest } : { content: rest, reasoning: "" };
  }
}

/** Length of the longest suffix of `text` that is a proper prefix of one of `tags`. */
function partialSuffix(text: string, tags: readonly string[]): number {
  let best = 0;
  for (const tag of tags)
    for (let n = Math.min(tag.length - 1, text.length); n > best; n--)
      if (text.endsWith(tag.slice(0, n))) {
        best = n;
        break;
      }
  return best;
}
