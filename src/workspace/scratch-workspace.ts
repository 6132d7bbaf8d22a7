import { forgetWorkspace } from "./prompt-file-cache.ts";
import { forgetSeeded } from "./templates.ts";
import { workspaceKey } from "./workspace-keys.ts";

/** What a throwaway workspace starts with from its home: the files the system prompt is built from, and skills. */
const PROMPT_FILES = ["AGENTS.md", "SOUL.md", "USER.md", "memory/MEMORY.md"];
const COPIED_PREFIXES = ["skills/"];
// A skills folder is a handful of small files; the cap keeps one request far below the Worker's subrequest limit.
const MAX_COPIED_FILES = 200;
// R2 deletes at most 1,000 keys per call.
const DELETE_BATCH = 1000;

/**
 * Starts `scratchId` as a copy of `homeId`'s prompt files and skills, so a stateless API request keeps the
 * agent's identity and memory to read while whatever its tools write lands in a workspace of its own.
 */
export async function seedScratchWorkspace(bucket: R2Bucket, homeId: string, scratchId: string): Promise<void> {
  const paths = [...PROMPT_FILES];
  for (const prefix of COPIED_PREFIXES) {
    const base = workspaceKey(homeId, "");
    const listed = await bucket.list({ prefix: base + prefix, limit: MAX_COPIED_FILES });
    paths.push(...listed.objects.map((o) => o.key.slice(base.length)));
  }
  await Promise.all(
    paths.map(async (path) => {
      const object = await bucket.get(workspaceKey(homeId, path));
      if (object) await bucket.put(workspaceKey(scratchId, path), object.body, { httpMetadata: object.httpMetadata });
    }),
  );
}

/** Deletes every file of a workspace (its whole R2 prefix) and what this isolate cached about it. */
export async function deleteWorkspace(bucket: R2Bucket, workspaceId: string, batch = DELETE_BATCH): Promise<number> {
  forgetWorkspace(workspaceId);
  forgetSeeded(workspaceId);
  const prefix = workspaceKey(workspaceId, "");
  let deleted = 0;
  for (;;) {
    const listed = await bucket.list({ prefix, limit: batch });
    if (!listed.objects.length) return deleted;
    await bucket.delete(listed.objects.map((o) => o.key));
    deleted += listed.objects.length;
  }
}
