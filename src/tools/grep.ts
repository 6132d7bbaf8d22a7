import { z } from "zod";
import { displayPath } from "../workspace/path-guard.ts";
import { MAX_EXPLICIT_FILE_BYTES, MAX_FILE_BYTES, MAX_FILES_READ, forEachText } from "./grep-files.ts";
import { MAX_LISTED_FILES, page, paginationNote, searchScope } from "./search-scope.ts";
import { ToolError, defineTool } from "./types.ts";

const DEFAULT_HEAD_LIMIT = 250;
/** Same cap as read_file: one call cannot flood the context. */
const MAX_RESULT_CHARS = 128_000;

function compile(pattern: string, fixed: boolean, caseInsensitive: boolean): RegExp {
  const source = fixed ? pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") : pattern;
  try {
    return new RegExp(source, caseInsensitive ? "i" : "");
  } catch (err) {
    throw new ToolError(`invalid regex pattern: ${(err as Error).message}. Set fixed_strings=true to search for the text as written.`);
  }
}

function block(path: string, lines: string[], at: number, before: number, after: number): string {
  const out = [`${path}:${at}`];
  for (let n = Math.max(1, at - before); n <= Math.min(lines.length, at + after); n++) {
    out.push(`${n === at ? ">" : " "} ${n}| ${lines[n - 1]}`);
  }
  return out.join("\n");
}

export const grepTool = defineTool({
  name: "grep",
  description:
    "Regex search of workspace file contents; output_mode files_with_matches (default), content or count.",
  parameters: z.object({
    pattern: z.string().min(1),
    path: z.string().optional().describe('File or folder (default ".")'),
    glob: z.string().optional().describe("e.g. '*.py'"),
    type: z.string().optional(),
    case_insensitive: z.boolean().optional(),
    fixed_strings: z.boolean().optional().describe("Plain text, not regex."),
    output_mode: z.enum(["content", "files_with_matches", "count"]).optional(),
    context_before: z.number().int().min(0).max(20).optional(),
    context_after: z.number().int().min(0).max(20).optional(),
    max_matches: z.number().int().min(1).max(1000).optional(),
    head_limit: z.number().int().min(0).max(1000).optional().describe(`Default ${DEFAULT_HEAD_LIMIT}; 0 = all`),
    offset: z.number().int().min(0).max(100_000).optional(),
  }),
  readOnly: true,
  async execute(args, { workspace }) {
    const { pattern, path = ".", output_mode = "files_with_matches", offset = 0 } = args;
    const regex = compile(pattern, args.fixed_strings ?? false, args.case_insensitive ?? false);
    const scope = await searchScope(workspace, { path, glob: args.glob, type: args.type });
    const limit =
      args.head_limit !== undefined ? (args.head_limit === 0 ? null : args.head_limit) : output_mode === "content" && args.max_matches ? args.max_matches : DEFAULT_HEAD_LIMIT;
    const toRead = scope.files.slice(0, MAX_FILES_READ);
    const maxBytes = scope.isFile ? MAX_EXPLICIT_FILE_BYTES : MAX_FILE_BYTES;

    const blocks: string[] = [];
    const counts = new Map<string, { count: number; modified: number }>();
    let chars = 0;
    let seen = 0;
    let truncated = false;
    let sizeCapped = false;
    let binary = 0;
    let large = 0;
    await forEachText(workspace, toRead, maxBytes, (file) => {
      if (file.text === null) {
        if (file.skipped === "large") large++;
        else binary++;
        return true;
      }
      const shownPath = displayPath(file.entry.path);
      const lines = file.text.replace(/\r\n?/g, "\n").split("\n");
      if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
      for (let i = 0; i < lines.length; i++) {
        if (!regex.test(lines[i])) continue;
        if (output_mode !== "content") {
          const hit = counts.get(shownPath) ?? { count: 0, modified: file.entry.uploaded?.getTime() ?? 0 };
          hit.count++;
          counts.set(shownPath, hit);
          if (output_mode === "files_with_matches") break;
          continue;
        }
        if (++seen <= offset) continue;
        if (limit !== null && blocks.length >= limit) {
          truncated = true;
          return false;
        }
        const text = block(shownPath, lines, i + 1, args.context_before ?? 0, args.context_after ?? 0);
        if (chars + text.length + 2 > MAX_RESULT_CHARS) {
          sizeCapped = true;
          return false;
        }
        blocks.push(text);
        chars += text.length + 2;
      }
      return true;
    });

    let result: string;
    const notes: string[] = [];
    if (output_mode === "content") {
      result = blocks.length ? blocks.join("\n\n") : `No matches found for pattern '${pattern}' in ${path}`;
      if (truncated) notes.push(`(pagination: limit=${limit}, offset=${offset})`);
      else if (sizeCapped) notes.push(`(output truncated at ${MAX_RESULT_CHARS} characters; use offset=${offset + blocks.length} to continue)`);
      else if (offset > 0 && blocks.length) notes.push(`(pagination: offset=${offset})`);
    } else {
      // Most recently changed first, as nanobot orders them.
      const ordered = [...counts.entries()].sort((a, b) => b[1].modified - a[1].modified || (a[0] < b[0] ? -1 : 1));
      const paged = page(ordered, limit, offset);
      result = ordered.length
        ? paged.items.map(([p, c]) => (output_mode === "count" ? `${p}: ${c.count}` : p)).join("\n")
        : `No matches found for pattern '${pattern}' in ${path}`;
      const note = paginationNote(limit, offset, paged.truncated);
      if (note) notes.push(note);
      if (output_mode === "count" && ordered.length) {
        const total = ordered.reduce((sum, [, c]) => sum + c.count, 0);
        notes.push(`(total matches: ${total} in ${ordered.length} files)`);
      }
    }
    if (binary) notes.push(`(skipped ${binary} binary/unreadable files)`);
    if (large) notes.push(`(skipped ${large} files larger than ${scope.isFile ? MAX_EXPLICIT_FILE_BYTES : MAX_FILE_BYTES} bytes)`);
    if (scope.files.length > toRead.length && !truncated && !sizeCapped) {
      notes.push(`(searched only the first ${MAX_FILES_READ} of ${scope.files.length} files; narrow path, glob or type to search the rest)`);
    }
    if (scope.listingCapped) notes.push(`(only the first ${MAX_LISTED_FILES} files were listed; narrow path to search the rest)`);
    return notes.length ? `${result}\n\n${notes.join("\n")}` : result;
  },
});
