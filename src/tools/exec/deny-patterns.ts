/**
 * nanobot's built-in deny patterns (regexes on the lower-cased command). They stop the classic accidents —
 * recursive deletes, disk formatting, power control, fork bombs — and writes to the memory files only Dream
 * and the memory tools may change.
 */
const MEMORY_FILES = String.raw`(?:history\.jsonl|\.dream_cursor)`;

export const BUILTIN_DENY_PATTERNS: readonly string[] = [
  String.raw`\brm\s+-[rf]{1,2}\b`,
  String.raw`\brm\s+(?:-\w+\s+)*--(?:recursive|force)\b`,
  String.raw`\bdel\s+/[fq]\b`,
  String.raw`\brmdir\s+/s\b`,
  String.raw`(?:^|[;&|]\s*)format(?!=)\b`,
  String.raw`\b(?:mkfs|diskpart)\b`,
  String.raw`\bdd\s+if=`,
  String.raw`>\s*/dev/sd`,
  String.raw`\b(?:shutdown|reboot|poweroff|halt)\b`,
  String.raw`:\(\)\s*\{.*\};\s*:`,
  String.raw`>>?\s*['"]?[^\s;&|]*${MEMORY_FILES}`,
  String.raw`\btee\b[^;&|\n]*${MEMORY_FILES}`,
  String.raw`\b(?:cp|mv|install|ln)\b[^;&|\n]*\s['"]?[^\s;&|]*${MEMORY_FILES}['"]?\s*(?:$|[;&|\n])`,
  String.raw`\bdd\b[^;&|\n]*\bof=['"]?[^\s;&|]*${MEMORY_FILES}`,
  String.raw`\bsed\b[^;&|\n]*\s-[a-z]*i[^;&|\n]*${MEMORY_FILES}`,
  String.raw`\btruncate\b[^;&|\n]*${MEMORY_FILES}`,
];
