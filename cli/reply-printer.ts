import { MarkdownLineRenderer } from "./markdown.ts";

export interface ReplyPrinter {
  write(delta: string): void;
  /** Flushes a trailing partial line and ends the reply with a newline. */
  end(): void;
}

/**
 * Prints a streamed reply. Plain text goes out as it arrives; Markdown is rendered a full line at a time,
 * because a `**` or a code fence can only be rendered once its line is complete.
 */
export function createReplyPrinter(out: { write(s: string): unknown }, markdown: boolean): ReplyPrinter {
  let pending = "";
  let wroteAny = false;
  let endsWithNewline = true;
  const renderer = new MarkdownLineRenderer();
  const emit = (s: string) => {
    if (!s) return;
    out.write(s);
    wroteAny = true;
    endsWithNewline = s.endsWith("\n");
  };
  return {
    write(delta) {
      if (!markdown) return emit(delta);
      pending += delta;
      let newline: number;
      while ((newline = pending.indexOf("\n")) >= 0) {
        emit(`${renderer.renderLine(pending.slice(0, newline))}\n`);
        pending = pending.slice(newline + 1);
      }
    },
    end() {
      if (markdown && pending) emit(renderer.renderLine(pending));
      pending = "";
      if (wroteAny && !endsWithNewline) out.write("\n");
    },
  };
}

/** Markdown is rendered only for a terminal, never into a pipe or file, and never with NO_COLOR set. */
export function shouldRenderMarkdown(flag: boolean, stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (!flag || env.NO_COLOR) return false;
  return Boolean(stream.isTTY) || Boolean(env.FORCE_COLOR && env.FORCE_COLOR !== "0");
}
