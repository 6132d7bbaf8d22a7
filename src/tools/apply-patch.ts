import { z } from "zod";
import { decodeText } from "../workspace/content-type.ts";
import { closestLines } from "./edit-match.ts";
import { lineDiffStats, splitLines } from "./line-diff.ts";
import { PATH_HELP } from "./path-help.ts";
import { ToolError, defineTool, type ToolContext } from "./types.ts";
import { assertWritableFilePath } from "./write-file.ts";

// Same ceiling as edit_file: the file is held several times over while it is patched (128 MB per isolate).
const MAX_PATCH_BYTES = 10 * 1024 * 1024;

const editSchema = z.object({
  path: z.string().describe(PATH_HELP),
  action: z.enum(["replace", "add"]),
  old_text: z.string().nullable().optional(),
  new_text: z.string().nullable().optional(),
});

type Edit = z.infer<typeof editSchema>;

interface Planned {
  rel: string;
  /** Content before this patch (null = new file) and after all edits so far. */
  original: string | null;
  content: string;
  crlf: boolean;
}

const fail = (message: string, index: number, total: number) =>
  new ToolError(`${message} (edit ${index + 1} of ${total}). No file was changed.`);

async function load(ctx: ToolContext, rel: string, path: string): Promise<Planned> {
  const entry = await ctx.workspace.stat(rel);
  if (!entry) return { rel, original: null, content: "", crlf: false };
  if (entry.size > MAX_PATCH_BYTES) throw new Error(`${path} is too large to patch (more than 10 MiB)`);
  const file = await ctx.workspace.readFile(rel);
  const text = file ? decodeText(new Uint8Array(file.body)) : null;
  if (text === null) throw new Error(`${path} is not UTF-8 text`);
  return { rel, original: text, content: text.replace(/\r\n/g, "\n"), crlf: text.includes("\r\n") };
}

function notFoundHint(content: string, oldText: string): string {
  const close = closestLines(content, oldText);
  if (!close || close.ratio < 0.5) return "Re-read the file and copy the exact text.";
  return `The most similar text starts at line ${close.line} (${Math.round(close.ratio * 100)}% similar); copy it exactly.`;
}

function applyEdit(plan: Planned, edit: Edit, path: string): string {
  const newText = (edit.new_text ?? "").replace(/\r\n/g, "\n");
  if (edit.action === "add") {
    if (edit.new_text == null) throw new Error(`new_text required for add: ${path}`);
    let base = plan.content;
    if (base && newText && !base.endsWith("\n") && !newText.startsWith("\n")) base += "\n";
    const combined = base + newText;
    return combined && !combined.endsWith("\n") ? `${combined}\n` : combined;
  }
  if (!edit.old_text) throw new Error(`old_text required for replace: ${path}`);
  if (edit.new_text == null) throw new Error(`new_text required for replace: ${path}`);
  if (plan.original === null && plan.content === "") throw new Error(`file to update does not exist: ${path}`);
  const oldText = edit.old_text.replace(/\r\n/g, "\n");
  const at = plan.content.indexOf(oldText);
  if (at < 0) throw new Error(`old_text not found in ${path}. ${notFoundHint(plan.content, oldText)}`);
  if (plan.content.indexOf(oldText, at + 1) >= 0) throw new Error(`old_text appears more than once in ${path}; include more surrounding lines`);
  const replaced = plan.content.slice(0, at) + newText + plan.content.slice(at + oldText.length);
  return replaced && !replaced.endsWith("\n") ? `${replaced}\n` : replaced;
}

export const applyPatchTool = defineTool({
  name: "apply_patch",
  description:
    "Default code-edit tool: edits over one or more files, all or nothing. replace: old_text (exact, once) → new_text; " +
    "add: append new_text (creates the file).",
  parameters: z.object({
    edits: z.array(editSchema).min(1).max(20),
    dry_run: z.boolean().optional(),
  }),
  async execute({ edits, dry_run = false }, ctx) {
    const plans = new Map<string, Planned>();
    const summaries: string[] = [];
    // Every edit is checked against the content the earlier edits produce, before anything is written.
    for (const [index, edit] of edits.entries()) {
      const path = edit.path.trim();
      if (!path) throw fail("path cannot be empty", index, edits.length);
      const rel = await assertWritableFilePath(ctx.workspace, path);
      try {
        let plan = plans.get(rel);
        if (!plan) plans.set(rel, (plan = await load(ctx, rel, path)));
        const before = plan.content;
        const existed = plan.original !== null || before !== "";
        plan.content = applyEdit(plan, edit, path);
        const { added, deleted } = existed ? lineDiffStats(before, plan.content) : { added: splitLines(plan.content).length, deleted: 0 };
        summaries.push(`- ${existed ? "update" : "add"} ${path} (+${added}/-${deleted})`);
      } catch (err) {
        throw fail((err as Error).message, index, edits.length);
      }
    }
    if (dry_run) return `Patch dry-run succeeded (nothing written):\n${summaries.join("\n")}`;

    const written: Planned[] = [];
    try {
      for (const plan of plans.values()) {
        await ctx.workspace.writeFile(plan.rel, plan.crlf ? plan.content.replace(/\n/g, "\r\n") : plan.content);
        written.push(plan);
      }
    } catch (err) {
      // R2 has no transactions: put back what was already written so the patch stays all or nothing.
      for (const plan of written) {
        if (plan.original === null) await ctx.workspace.deleteFile(plan.rel).catch(() => false);
        else await ctx.workspace.writeFile(plan.rel, plan.original).catch(() => undefined);
      }
      throw new ToolError(`writing the patch failed (${(err as Error).message}); earlier files were restored.`);
    }
    return `Patch applied:\n${summaries.join("\n")}`;
  },
});
