export default `---
name: summarize
description: Summarize a web page, file or pasted text into key points, with an optional length target.
requires:
  tools: [web_fetch]
---
# Summarize

Use when the user asks for a summary, TL;DR, key points or "what does this say".

1. Get the text: a URL → \`web_fetch(url, extractMode="text")\`; a workspace file → \`read_file(path)\` (page with
   offset/limit for long files); pasted text → use it as is.
2. For long sources, read everything before you summarise; never summarise only the first page.
3. Answer with: one sentence on what it is, then 3–7 bullet points of the key facts (numbers, names, dates,
   decisions), then open questions or caveats if any. Match the user's requested length if given.
4. Quote sparingly and mark quotes. Say when the source was truncated or could not be fetched.
5. If the user wants to keep it, write it to \`notes/summaries/<slug>.md\` with the source URL at the top.
`;
