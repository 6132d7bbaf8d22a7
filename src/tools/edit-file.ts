import { z } from "zod";
import { decodeText } from "../workspace/content-type.ts";
import { applyMatches, closestLines, findMatches } from "./edit-match.ts";
import { PATH_HELP } from "./path-help.ts";
import { ToolError, defineTool } from "./types.ts";
import { assertWritableFilePath, countChars } from "./write-file.ts";

// Workers have 128 MB per isolate and the file is held several times over while it is edited.
const MAX_EDIT_BYTES = 10 * 1024 * 1024;
const SIMILARITY_THRESHOLD = 0.5;

const STRATEGY_NOTE = {
  exact: "",
  "trailing-whitespace": " (matched ignoring trailing whitespace)",
  indentation: " (matched ignoring indentation; the new text was re-indented to fit)",
} as const;

function notFound(path: string, content: string, oldText: string): ToolError {
  const close = closestLines(content, oldText);
  let hint = "No similar text was found. Re-read the file with read_file and copy the exact text to replace.";
  if (close && close.ratio >= SIMILARITY_THRESHOLD) {
    const numbered = close.lines.map((l, i) => `${close.line + i}| ${l}`).join("\n");
    const last = close.line + close.lines.length - 1;
    hint =
      `The most similar text is at lines ${close.line}-${last} (${Math.round(close.ratio * 100)}% similar):\n${numbered}\n` +
      "Copy the exact text from the file (without the line-number prefixes) into old_text.";
  }
  return new ToolError(`old_text not found in ${path}. ${hint}`);
}

export const editFileTool = defineTool({
  name: "edit_file",
  description:
    "Replace old_text with new_text in a workspace file. old_text must match once (whitespace-tolerant) unless " +
    "replace_all is set; an empty old_text creates a new file.",
  parameters: z.object({
    path: z.string().describe(PATH_HELP),
    old_text: z.string().describe("Exact text to replace, without read_file line numbers."),
    new_text: z.string().describe("Replacement text."),
    replace_all: z.boolean().optional().describe("Replace every occurrence (default false)."),
  }),
  async execute({ path, old_text, new_text, replace_all = false }, { workspace }) {
    const rel = await assertWritableFilePath(workspace, path);
    const entry = await workspace.stat(rel);
    if (!entry) {
      if (old_text !== "") throw new ToolError(`File not found: ${path}. To create it, use write_file (or edit_file with an empty old_text).`);
      await workspace.writeFile(rel, new_text);
      return `Successfully created ${path} (${countChars(new_text)} characters)`;
    }
    if (entry.size > MAX_EDIT_BYTES) throw new ToolError(`${path} is too large to edit (more than 10 MiB).`);
    const file = await workspace.readFile(rel);
    const raw = file ? decodeText(new Uint8Array(file.body)) : null;
    if (raw === null) throw new ToolError(`Cannot edit ${path}: it is a binary file.`);
    if (old_text === "") {
      if (raw !== "") {
        throw new ToolError(`old_text is empty but ${path} is not empty. Give the exact text to replace, or use write_file to replace the whole file.`);
      }
      await workspace.writeFile(rel, new_text);
      return `Successfully edited ${path}`;
    }
    if (old_text === new_text) throw new ToolError("old_text and new_text are identical, so there is nothing to change.");

    // Match on LF text and write back with the file's own line endings.
    const crlf = raw.includes("\r\n");
    const content = crlf ? raw.replace(/\r\n/g, "\n") : raw;
    const oldText = old_text.replace(/\r\n/g, "\n");
    const newText = new_text.replace(/\r\n/g, "\n");
    const found = findMatches(content, oldText, newText);
    if (!found) throw notFound(path, content, oldText);
    const { matches, strategy } = found;
    if (matches.length > 1 && !replace_all) {
      const lines = matches.map((m) => `line ${m.line}`).join(", ");
      throw new ToolError(
        `old_text appears ${matches.length} times in ${path} (at ${lines}). ` +
          "Include more surrounding lines to make it unique, or set replace_all=true to replace every occurrence.",
      );
    }
    const edited = applyMatches(content, matches);
    await workspace.writeFile(rel, crlf ? edited.replace(/\n/g, "\r\n") : edited);
    const count = matches.length > 1 ? ` (${matches.length} replacements)` : "";
    return `Successfully edited ${path}${count}${STRATEGY_NOTE[strategy]}`;
  },
});
