import { describe, expect, it } from "vitest";
import { z } from "zod";
import { editFileTool } from "../../../src/tools/edit-file.ts";
import { applyPatchTool } from "../../../src/tools/apply-patch.ts";
import { findFilesTool } from "../../../src/tools/find-files.ts";
import { grepTool } from "../../../src/tools/grep.ts";
import { listDirTool } from "../../../src/tools/list-dir.ts";
import { readFileTool } from "../../../src/tools/read-file.ts";
import { writeFileTool } from "../../../src/tools/write-file.ts";

// The registry sends the schema without `$schema`; measure what the model actually sees.
const schemaOf = (tool: { parameters: z.ZodObject }) => {
  const { $schema: _unused, ...rest } = z.toJSONSchema(tool.parameters, { io: "input" }) as Record<string, unknown>;
  return rest as { properties: Record<string, unknown>; required?: string[] };
};

describe("file tool schemas (interfaces.md contract)", () => {
  it.each([
    [readFileTool, "read_file", ["path", "offset", "limit"], ["path"]],
    [writeFileTool, "write_file", ["path", "content"], ["path", "content"]],
    [editFileTool, "edit_file", ["path", "old_text", "new_text", "replace_all"], ["path", "old_text", "new_text"]],
    [listDirTool, "list_dir", ["path", "recursive", "max_entries"], ["path"]],
    [
      grepTool,
      "grep",
      ["pattern", "path", "glob", "type", "case_insensitive", "fixed_strings", "output_mode", "context_before", "context_after", "max_matches", "head_limit", "offset"],
      ["pattern"],
    ],
    [findFilesTool, "find_files", ["path", "query", "glob", "type", "sort", "head_limit", "offset"], []],
    [applyPatchTool, "apply_patch", ["edits", "dry_run"], ["edits"]],
  ] as const)("should expose %#: the nanobot name, parameters and required list", (tool, name, params, required) => {
    expect(tool.name).toBe(name);
    const schema = schemaOf(tool);
    expect(Object.keys(schema.properties)).toEqual(params);
    expect(schema.required ?? []).toEqual(required);
    expect(tool.description.length).toBeGreaterThan(20);
  });

  it("should describe apply_patch edits as nanobot does: 1-20 of {path, action replace|add, old_text, new_text}", () => {
    const edits = schemaOf(applyPatchTool).properties.edits as { minItems: number; maxItems: number; items: { properties: Record<string, { enum?: string[] }>; required: string[] } };
    expect([edits.minItems, edits.maxItems]).toEqual([1, 20]);
    expect(Object.keys(edits.items.properties)).toEqual(["path", "action", "old_text", "new_text"]);
    expect(edits.items.properties.action.enum).toEqual(["replace", "add"]);
    expect(edits.items.required).toEqual(["path", "action"]);
    expect((schemaOf(grepTool).properties.output_mode as { enum: string[] }).enum).toEqual(["content", "files_with_matches", "count"]);
  });

  it("should keep the four schemas compact for the 8 KB hello prompt", () => {
    const bytes = [readFileTool, writeFileTool, editFileTool, listDirTool]
      .map((t) => JSON.stringify({ name: t.name, description: t.description, parameters: schemaOf(t) }).length)
      .reduce((a, b) => a + b, 0);
    expect(bytes).toBeLessThan(2100);
  });
});
