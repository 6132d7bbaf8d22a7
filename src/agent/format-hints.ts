/** How to format answers for each surface; the model cannot see where its text will be rendered. */
const HINTS: Record<string, string> = {
  telegram: "Telegram chat: short paragraphs, Markdown (bold, italics, code), no tables.",
  slack: "Slack thread: short paragraphs, Markdown without tables.",
  api: "API client: Markdown is rendered by the client.",
  cli: "Terminal: Markdown is rendered; keep lines short.",
  websocket: "WebUI: full Markdown with code blocks and tables.",
};

export function formatHintFor(channel: string): string | null {
  return HINTS[channel] ?? null;
}
