/**
 * Markdown emphasis → the single-character markers Slack and WhatsApp both use: **bold** and __bold__ → *bold*,
 * *italic* → _italic_, ~~strike~~ → ~strike~. Code and links must already be held out of `text` (the callers
 * replace them with placeholders), so markers inside them are never touched.
 */
export function toSingleMarkerEmphasis(text: string): string {
  return text
    .replace(/\*\*(?=\S)([^*]*?\S)\*\*/g, "\u0001$1\u0001")
    .replace(/(^|[^\w])__(?=\S)([^_]*?\S)__(?!\w)/g, "$1\u0001$2\u0001")
    .replace(/(^|[^\w*])\*(?=[^\s*])([^*]*?[^\s*])\*(?![\w*])/g, "$1_$2_")
    .replace(/~~(?=\S)([^~]*?\S)~~/g, "~$1~")
    .replace(/\u0001/g, "*");
}
