import { describe, expect, it } from "vitest";
import { z } from "zod";
import { editFileTool } from "../../../src/tools/edit-file.ts";
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
  ] as const)("should expose %#: the nanobot name, parameters and required list", (tool, name, params, required) => {
    expect(tool.name).toBe(name);
    const schema = schemaOf(tool);
    expect(Object.keys(schema.properties)).toEqual(params);
    expect(schema.required ?? []).toEqual(required);
    expect(tool.description.length).toBeGreaterThan(20);
  });

  it("should keep the four schemas compact for the 8 KB hello prompt", () => {
    const bytes = [readFileTool, writeFileTool, editFileTool, listDirTool]
      .map((t) => JSON.stringify({ name: t.name, description: t.description, parameters: schemaOf(t) }).length)
      .reduce((a, b) => a + b, 0);
    expect(bytes).toBeLessThan(2100);
  });
});
