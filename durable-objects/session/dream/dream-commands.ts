import { sessionControl } from "../../../src/session-protocol/session-control.ts";
import type { CommandSession, SlashCommand } from "../commands/types.ts";
import { shortDiff } from "./line-diff.ts";
import type { DreamResult } from "./dream-run.ts";
import { dreamSessionKey } from "./dream-timer.ts";
import { MEMORY_FILES, snapshotMemory } from "./memory-files.ts";
import { type MemoryVersion, getVersion, listVersions, readSnapshot, recordVersion } from "./versions.ts";
import { openWorkspace } from "../../../src/workspace/open-workspace.ts";

function workspaceOf(session: CommandSession): string | null {
  return session.runtime().workspaceId ?? null;
}

const NO_WORKSPACE = "This session has no workspace yet: send a message first.";

const when = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace("T", " ");
const stats = (v: MemoryVersion) => v.files.map((f) => `${f.path} +${f.added}/-${f.removed}`).join(", ");
const line = (v: MemoryVersion) => `${v.id} · ${when(v.createdAt)} · ${v.kind} · ${v.summary} (${stats(v)})`;

export const dreamCommand: SlashCommand = {
  name: "/dream",
  usage: "/dream",
  summary: "fold recent conversations into memory now",
  // A whole Dream (several model calls) takes far longer than a webhook may.
  deferred: true,
  async run(_args, session) {
    const workspaceId = workspaceOf(session);
    if (!workspaceId) return NO_WORKSPACE;
    const env = session.runtime().env;
    const result = await sessionControl<DreamResult>(env, dreamSessionKey(workspaceId), "dream.run", { workspaceId });
    const secs = (result.ms / 1000).toFixed(1);
    switch (result.status) {
      case "nothing":
        return "Nothing new to dream about: no conversation has been archived to memory/history.jsonl since the last Dream. Chat more (or wait for older turns to be archived), then try again.";
      case "busy":
        return "A Dream is already running for this workspace; try /dream-log in a minute.";
      case "incomplete":
        return `Dream did not complete after ${secs}s (stop_reason: ${result.stopReason}); memory cursor was not advanced.`;
      default:
        return result.version
          ? `Dream completed in ${secs}s (version ${result.version.id}): ${result.version.summary}\nChanged: ${stats(result.version)}. /dream-log shows the diff; /dream-restore ${result.version.id} undoes it.`
          : `Dream completed in ${secs}s; no memory changes.`;
    }
  },
};

export const dreamLogCommand: SlashCommand = {
  name: "/dream-log",
  usage: "/dream-log [id]",
  summary: "recent memory versions with a short diff",
  async run(args, session) {
    const workspaceId = workspaceOf(session);
    if (!workspaceId) return NO_WORKSPACE;
    const env = session.runtime().env;
    const id = args.trim();
    const versions = id ? [await getVersion(env.DB, workspaceId, id)].filter((v): v is MemoryVersion => !!v) : await listVersions(env.DB, workspaceId, 5);
    if (!versions.length) return id ? `No memory version '${id}'. /dream-log lists recent ones.` : "No memory versions yet: Dream has not changed anything.";
    const [latest] = versions;
    const diff: string[] = [];
    for (const file of latest.files) {
      const [before, after] = await Promise.all([readSnapshot(env.WORKSPACE, latest, "before", file.path), readSnapshot(env.WORKSPACE, latest, "after", file.path)]);
      diff.push(`--- ${file.path}`, ...shortDiff(before ?? "", after ?? ""));
    }
    const older = versions.slice(1).map(line);
    return [`Memory version ${line(latest)}`, ...diff, ...(older.length ? ["", "Earlier:", ...older] : []), "", `Undo with /dream-restore ${latest.id}.`].join("\n");
  },
};

export const dreamRestoreCommand: SlashCommand = {
  name: "/dream-restore",
  usage: "/dream-restore [id]",
  summary: "list memory versions, or undo one (restores the files as they were before it)",
  async run(args, session) {
    const workspaceId = workspaceOf(session);
    if (!workspaceId) return NO_WORKSPACE;
    const env = session.runtime().env;
    const id = args.trim();
    if (!id) {
      const versions = await listVersions(env.DB, workspaceId, 10);
      if (!versions.length) return "No memory versions to restore yet.";
      return ["Memory versions (newest first):", ...versions.map((v) => `- ${line(v)}`), "", "Restore the files as they were before one with /dream-restore <id>."].join("\n");
    }
    const version = await getVersion(env.DB, workspaceId, id);
    if (!version) return `No memory version '${id}'. /dream-restore lists them.`;
    const workspace = await openWorkspace(env.WORKSPACE, workspaceId);
    const current = await snapshotMemory(workspace);
    const restored = { ...current };
    for (const file of version.files) {
      const text = await readSnapshot(env.WORKSPACE, version, "before", file.path);
      if (text === null) return `The snapshot of ${file.path} in version ${id} is missing; nothing was restored.`;
      if ((MEMORY_FILES as readonly string[]).includes(file.path)) restored[file.path] = text;
    }
    for (const path of Object.keys(restored)) if (restored[path] !== current[path]) await workspace.writeFile(path, restored[path]);
    const record = await recordVersion(env, { workspaceId, kind: "restore", summary: `restore to before ${id}`, before: current, after: restored, restoredFrom: id });
    return record
      ? `Restored ${version.files.map((f) => f.path).join(", ")} to before ${id} (recorded as version ${record.id}).`
      : `The files already match the state before ${id}; nothing to restore.`;
  },
};
