import { splitMessage } from "../../src/channels/split-message.ts";

/**
 * A reply that a chat platform's split turns into exactly `labels.length` parts, part i starting with
 * `<label i> line 0`: lines of 192 characters (194 with the blank line between; labels of 6 characters) fill a part so that the next
 * line no longer fits `limit`.
 */
export function markedParts(labels: string[], limit: number): { text: string; parts: string[] } {
  const lines = Math.floor((limit + 2) / 194);
  const block = (label: string) => Array.from({ length: lines }, (_, i) => `${label} line ${String(i).padStart(3, "0")}: ${"word ".repeat(35).trim()}.`).join("\n\n");
  const text = labels.map(block).join("\n\n");
  const parts = splitMessage(text, limit);
  const starts = parts.map((p) => p.split(" ")[0]);
  if (starts.join() !== labels.join()) throw new Error(`markedParts: the split gave parts starting ${starts.join(", ")}, not ${labels.join(", ")}`);
  return { text, parts };
}
