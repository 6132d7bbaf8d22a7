import { readdirSync, readFileSync } from "node:fs";

/** Session and process-group id of a process, from /proc (Linux); null once it is gone. */
function sessionAndGroup(pid: number): { pgrp: number; sid: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 2 (comm) may contain spaces and parentheses: parse after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { pgrp: Number(fields[2]), sid: Number(fields[3]) };
  } catch {
    return null;
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/**
 * Kills a command's whole tree. The command was spawned as a session leader (`detached`), so every descendant
 * shares its process group, unless it moved to another group (`set -m` job control): those still share the
 * session, which /proc tells us.
 */
export function killTree(leader: number): void {
  try {
    process.kill(-leader, "SIGKILL");
  } catch {
    // group already gone
  }
  let entries: string[] = [];
  try {
    entries = readdirSync("/proc");
  } catch {
    return; // no procfs: the group kill is all we can do
  }
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const ids = sessionAndGroup(pid);
    if (ids && (ids.sid === leader || ids.pgrp === leader)) killQuietly(pid);
  }
}
