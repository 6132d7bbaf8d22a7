import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { deleteWorkspace, seedScratchWorkspace } from "../../../src/workspace/scratch-workspace.ts";

const keysUnder = async (id: string) => {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.WORKSPACE.list({ prefix: `workspaces/${id}/`, cursor });
    keys.push(...page.objects.map((o) => o.key.slice(`workspaces/${id}/`.length)));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return keys.sort();
};

describe("scratch workspaces (stateless API requests)", () => {
  it("should start with the home workspace's prompt files and skills only", async () => {
    const home = `home-${crypto.randomUUID()}`;
    const scratch = `main@scratch-${crypto.randomUUID()}`;
    for (const path of ["AGENTS.md", "SOUL.md", "USER.md", "memory/MEMORY.md", "memory/history.jsonl", "skills/x/SKILL.md", "notes/private.txt"]) {
      await env.WORKSPACE.put(`workspaces/${home}/${path}`, `content of ${path}`);
    }
    await seedScratchWorkspace(env.WORKSPACE, home, scratch);
    expect(await keysUnder(scratch)).toEqual(["AGENTS.md", "SOUL.md", "USER.md", "memory/MEMORY.md", "skills/x/SKILL.md"]);
    expect(await (await env.WORKSPACE.get(`workspaces/${scratch}/USER.md`))?.text()).toBe("content of USER.md");
  });

  it("should delete every file of a workspace, in batches (R2 deletes 1,000 keys per call), and leave its neighbours", async () => {
    const id = `main@scratch-${crypto.randomUUID()}`;
    const neighbour = `${id}x`;
    await Promise.all(Array.from({ length: 7 }, (_, i) => env.WORKSPACE.put(`workspaces/${id}/f/${i}.txt`, "x")));
    await env.WORKSPACE.put(`workspaces/${neighbour}/keep.txt`, "x");
    expect(await deleteWorkspace(env.WORKSPACE, id, 3)).toBe(7);
    expect(await keysUnder(id)).toEqual([]);
    expect(await keysUnder(neighbour)).toEqual(["keep.txt"]);
  });
});
