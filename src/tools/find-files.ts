import { z } from "zod";
import { MAX_LISTED_FILES, page, paginationNote, searchScope, shown } from "./search-scope.ts";
import { defineTool } from "./types.ts";

const DEFAULT_HEAD_LIMIT = 200;

export const findFilesTool = defineTool({
  name: "find_files",
  description: "Find workspace files by path fragment, glob or type.",
  parameters: z.object({
    path: z.string().optional().describe('Folder (default ".")'),
    query: z.string().optional().describe("Path fragments, all must occur"),
    glob: z.string().optional().describe("e.g. 'src/**/*.ts'"),
    type: z.string().optional().describe("e.g. 'py'"),
    sort: z.enum(["path", "modified"]).optional(),
    head_limit: z.number().int().min(0).max(1000).optional().describe(`Default ${DEFAULT_HEAD_LIMIT}; 0 = all`),
    offset: z.number().int().min(0).max(100_000).optional(),
  }),
  readOnly: true,
  async execute({ path, query, glob, type, sort = "path", head_limit, offset = 0 }, { workspace }) {
    const scope = await searchScope(workspace, { path, glob, type });
    const terms = (query ?? "").toLowerCase().split(/\s+/).filter(Boolean);
    const found = scope.files.filter((e) => terms.every((t) => e.path.toLowerCase().includes(t)));
    if (sort === "modified") {
      found.sort((a, b) => (b.uploaded?.getTime() ?? 0) - (a.uploaded?.getTime() ?? 0) || (a.path < b.path ? -1 : 1));
    }
    const limit = head_limit === undefined ? DEFAULT_HEAD_LIMIT : head_limit === 0 ? null : head_limit;
    const paged = page(found, limit, offset);
    const notes: string[] = [];
    const pagination = paginationNote(limit, offset, paged.truncated);
    if (pagination) notes.push(pagination);
    if (scope.listingCapped) notes.push(`(only the first ${MAX_LISTED_FILES} files were listed; narrow path to see the rest)`);
    const body = paged.items.length ? paged.items.map(shown).join("\n") : "No files found";
    return notes.length ? `${body}\n\n${notes.join("\n")}` : body;
  },
});
