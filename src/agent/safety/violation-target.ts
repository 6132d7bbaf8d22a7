import { WORKSPACE_MOUNT } from "../../workspace/path-guard.ts";

/** Arguments file-like tools name their target with (nanobot's list, so MCP file tools are covered too). */
const PATH_ARG_KEYS = ["path", "file_path", "target", "source", "destination"] as const;
const SHELL_TOOLS = new Set(["exec", "shell", "bash"]);
/** Devices a guard lets through; they are never the target a bypass loop is after. */
const BENIGN_DEVICES = /^\/dev\/(null|zero|full|random|urandom|stdin|stdout|stderr|tty|fd\/\d+)$/;

// An absolute or home path starting a shell word, after `=` (`--file=/x`, `if=/x`) or inside quotes.
const ABSOLUTE_IN_COMMAND = /(?:^|[\s"'`=(<>|;&,])((?:~|\/)[^\s"'`;|&<>(),]*)/g;
// A relative word that climbs out with `..` (`../../etc/passwd`, `a/../../b`).
const TRAVERSAL_IN_COMMAND = /(?:^|[\s"'`=(<>|;&,])((?:[^\s"'`;|&<>(),]*\/)?\.\.(?:\/[^\s"'`;|&<>(),]*)?)(?=$|[\s"'`;|&<>(),])/g;

function decodeLeniently(text: string): string {
  let current = text;
  for (let i = 0; i < 3 && /%[0-9a-f]{2}/i.test(current); i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      next = current.replace(/%([0-7][0-9a-f])/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    }
    if (next === current) break;
    current = next;
  }
  return current;
}

/**
 * Normalises a path so equivalent spellings compare equal: decoded, `\` as `/`, relative paths resolved against
 * `cwd` (the workspace mount by default), `//` collapsed, `.`/`..` resolved, no trailing `/`. Case is kept;
 * callers case-fold for comparison.
 */
export function normaliseTargetPath(raw: string, cwd: string = WORKSPACE_MOUNT): string {
  let p = decodeLeniently(raw.trim()).replace(/\\/g, "/").replace(/^file:\/\//i, "");
  let root = "/";
  const drive = /^([a-z]:)\/?/i.exec(p);
  if (drive) {
    root = `${drive[1].toLowerCase()}/`;
    p = p.slice(drive[0].length);
  } else if (p.startsWith("~")) {
    const slash = p.indexOf("/");
    root = `${slash === -1 ? p : p.slice(0, slash)}/`;
    p = slash === -1 ? "" : p.slice(slash + 1);
  } else if (!p.startsWith("/")) {
    p = `${cwd}/${p}`;
  }
  const parts: string[] = [];
  for (const segment of p.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") parts.pop();
    else parts.push(segment);
  }
  const joined = root + parts.join("/");
  return joined.length > 1 && joined.endsWith("/") ? joined.slice(0, -1) : joined;
}

const insideWorkspace = (p: string) => p === WORKSPACE_MOUNT || p.startsWith(`${WORKSPACE_MOUNT}/`);

function firstMatch(command: string, pattern: RegExp, cwd: string, skip: (normalised: string) => boolean): string | null {
  for (const m of command.matchAll(pattern)) {
    const normalised = normaliseTargetPath(m[1], cwd);
    if (!skip(normalised)) return normalised;
  }
  return null;
}

/** The outside path a shell command is after: first absolute/`~` path outside the workspace, else a `..` climb. */
function commandTarget(command: string, workingDir: string | undefined): string | null {
  const text = command.replace(/file:\/\//gi, "");
  const cwd = workingDir ? normaliseTargetPath(workingDir) : WORKSPACE_MOUNT;
  const skipBenign = (p: string) => BENIGN_DEVICES.test(p) || insideWorkspace(p);
  return (
    firstMatch(text, ABSOLUTE_IN_COMMAND, cwd, skipBenign) ??
    firstMatch(text, TRAVERSAL_IN_COMMAND, cwd, (p) => insideWorkspace(p)) ??
    (workingDir ? cwd : null)
  );
}

/**
 * What a refused call was trying to reach, normalised so that read_file('/etc/passwd'), exec 'cat /etc/passwd'
 * and python -c "open('/etc/passwd')" land on the same target. Null when no target can be told.
 */
export function violationTarget(tool: string, args: Record<string, unknown>): string | null {
  if (SHELL_TOOLS.has(tool) && typeof args.command === "string") {
    const workingDir = typeof args.working_dir === "string" && args.working_dir.trim() ? args.working_dir : undefined;
    return commandTarget(args.command, workingDir);
  }
  // apply_patch names its files inside `edits`: the first one that leaves the workspace is the target.
  if (Array.isArray(args.edits)) {
    const paths = args.edits.map((e) => (e as { path?: unknown })?.path).filter((p): p is string => typeof p === "string" && p.trim() !== "");
    const outside = paths.map((p) => normaliseTargetPath(p)).find((p) => !insideWorkspace(p));
    if (outside) return outside;
  }
  for (const key of PATH_ARG_KEYS) {
    const value = args[key];
    if (typeof value === "string" && value.trim()) return normaliseTargetPath(value);
  }
  if (typeof args.working_dir === "string" && args.working_dir.trim()) return normaliseTargetPath(args.working_dir);
  return null;
}

/** The throttle bucket for a target: case-folded, because `/ETC/passwd` is the same attempt on most systems that matter. */
export const violationSignature = (target: string) => `violation:${target.toLowerCase()}`;
