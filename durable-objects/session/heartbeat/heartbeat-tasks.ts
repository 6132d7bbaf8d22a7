/**
 * The tasks of HEARTBEAT.md: non-empty, non-comment, non-heading lines under the `## Active Tasks` heading
 * (up to the next H1/H2). A file without such lines means "nothing to do" and costs no model call.
 */
export function activeTasks(markdown: string | null): string[] {
  if (!markdown) return [];
  const tasks: string[] = [];
  let inSection = false;
  let inComment = false;
  for (const raw of markdown.split("\n")) {
    const line = raw.trim();
    if (/^#{1,2}\s/.test(line)) {
      inSection = /^##\s+active tasks\s*$/i.test(line);
      continue;
    }
    if (!inSection) continue;
    if (inComment) {
      if (line.includes("-->")) inComment = false;
      continue;
    }
    if (line.startsWith("<!--")) {
      if (!line.includes("-->")) inComment = true;
      continue;
    }
    if (!line || line.startsWith("#")) continue;
    if (/^[-*+]\s*(\[[ xX]\]\s*)?$/.test(line)) continue;
    tasks.push(line);
  }
  return tasks;
}
