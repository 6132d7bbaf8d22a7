import { WORKSPACE_MOUNT } from "../../workspace/path-guard.ts";
import { BUILTIN_DENY_PATTERNS } from "./deny-patterns.ts";
import { urlInTextRefusal, urlsInText } from "../../security/ssrf-guard.ts";
import { commandSegments } from "./shell-segments.ts";

/** Where the sandbox runner mounts the workspace; the file tools accept the same prefix. */
const SANDBOX_WORKSPACE = WORKSPACE_MOUNT;

export type UrlCheck = (url: string) => Promise<string | null>;

export interface CommandGuardOptions {
  restrictToWorkspace: boolean;
  allowPatterns?: readonly string[];
  denyPatterns?: readonly string[];
  /**
   * Returns why a URL is refused, or null. Defaults to the SSRF guard without DNS (literal private/loopback
   * addresses in any spelling and internal host names); exec injects the guard with the config's resolver.
   */
  checkUrl?: UrlCheck;
  /** Absolute working directory inside the sandbox (from resolveWorkingDir). */
  cwd?: string;
}

export const DENY_ERROR = "Error: Command blocked by deny pattern filter";
export const ALLOWLIST_ERROR = "Error: Command blocked by allowlist filter (not in allowlist)";
export const PRIVATE_URL_ERROR = "Error: Command blocked by safety guard (internal/private URL detected)";
export const OUTSIDE_ERROR = "Error: Command blocked by safety guard (path outside working dir)";
export const TRAVERSAL_ERROR = "Error: Command blocked by safety guard (path traversal detected)";
export const WORKING_DIR_ERROR = "Error: working_dir is outside the configured workspace";

/**
 * Appended to every workspace refusal. It is a soft tool error (the turn goes on); the note tells the model that
 * another tool or trick will get the same answer (src/agent/safety escalates repeated attempts).
 */
export function boundaryNote(target: string): string {
  return (
    `\n\n'${target}' is outside the configured workspace (${SANDBOX_WORKSPACE}). This is a hard policy boundary, ` +
    "not a glitch: switching tools, shell tricks, encodings, symlinks or working_dir overrides will not change it. " +
    "Use paths inside the workspace, or ask the user to copy what you need into it."
  );
}

// An absolute or `~` path starting a shell word, after `=`/redirections, or inside quotes and parentheses.
const PATH_IN_COMMAND = /(?:^|[\s"'`=(<>|;&,])((?:~|\/)[^\s"'`;|&<>(),]*)/g;
// `..` as a whole path component.
const TRAVERSAL = /(?:^|[\s"'`=(<>|;&,/\\])\.\.(?=$|[\s"'`;|&<>(),/\\])/;
const BENIGN_DEVICES = /^\/dev\/(?:null|zero|full|random|urandom|stdin|stdout|stderr|tty|fd\/\d+)$/;

/** Collapses `//`, `.` and `..` so `//etc` and `/workspace/../etc` are judged as `/etc`. */
function normalise(path: string): string {
  const parts: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") parts.pop();
    else parts.push(segment);
  }
  return `/${parts.join("/")}`;
}

const inside = (path: string, root: string) => path === root || path.startsWith(`${root}/`);

/** Maps `working_dir` (relative, `./x`, or `/workspace/x`) to a path relative to the workspace, or refuses it. */
export function resolveWorkingDir(workingDir: string | undefined): { ok: true; relative: string; absolute: string } | { ok: false; error: string } {
  const raw = (workingDir ?? "").trim();
  if (raw === "" || raw === ".") return { ok: true, relative: "", absolute: SANDBOX_WORKSPACE };
  const refused = { ok: false as const, error: WORKING_DIR_ERROR + boundaryNote(raw) };
  if (raw.startsWith("~") || /^[a-z]:/i.test(raw) || raw.includes("\\") || raw.includes("\0")) return refused;
  const absolute = normalise(raw.startsWith("/") ? raw : `${SANDBOX_WORKSPACE}/${raw}`);
  if (!inside(absolute, SANDBOX_WORKSPACE)) return refused;
  return { ok: true, relative: absolute.slice(SANDBOX_WORKSPACE.length + 1), absolute };
}

function fullMatch(pattern: string, text: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`, "s").test(text);
  } catch {
    return false; // a broken user pattern allows nothing
  }
}

function searchMatch(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern, "s").test(text);
  } catch {
    return false;
  }
}

/** The allow/deny filter: an allow list must match every chained and nested segment to skip the deny list. */
function patternVerdict(command: string, options: CommandGuardOptions): string | null {
  const lower = command.trim().toLowerCase();
  const allow = options.allowPatterns ?? [];
  if (allow.length > 0) {
    const segments = commandSegments(lower);
    if (segments.length > 0 && segments.every((s) => allow.some((p) => fullMatch(p.toLowerCase(), s)))) return null;
  }
  const deny = [...(options.denyPatterns ?? []), ...BUILTIN_DENY_PATTERNS];
  if (deny.some((p) => searchMatch(p, lower))) return DENY_ERROR;
  if (allow.length > 0) return ALLOWLIST_ERROR;
  return null;
}

/** The workspace check: `..` components, then every absolute/`~`/`file://` path must stay in the workspace. */
function pathVerdict(command: string, cwd: string): string | null {
  let text = command;
  // Longest first, so a URL that starts another one does not leave the longer one's tail behind.
  for (const url of urlsInText(command).sort((a, b) => b.length - a.length)) text = text.replaceAll(url, " ");
  text = text.replace(/file:\/\//gi, "");
  if (TRAVERSAL.test(text)) return TRAVERSAL_ERROR + boundaryNote("..");
  for (const m of text.matchAll(PATH_IN_COMMAND)) {
    const raw = m[1];
    if (raw === "~+" || raw.startsWith("~+/")) continue; // bash: the current directory
    if (raw.startsWith("~")) return OUTSIDE_ERROR + boundaryNote(raw);
    const path = normalise(raw);
    if (BENIGN_DEVICES.test(path) || inside(path, SANDBOX_WORKSPACE) || inside(path, cwd)) continue;
    return OUTSIDE_ERROR + boundaryNote(raw);
  }
  return null;
}

/**
 * nanobot's exec guard, run in the Worker before anything reaches the runner. Returns the refusal text, or
 * null when the command may run. The sandbox is the real boundary; this gives the model a clear, early answer.
 */
export async function guardCommand(command: string, options: CommandGuardOptions): Promise<string | null> {
  const pattern = patternVerdict(command, options);
  if (pattern) return pattern;
  const checkUrl = options.checkUrl ?? ((url: string) => urlInTextRefusal(url));
  for (const url of urlsInText(command)) {
    const problem = await checkUrl(url);
    if (problem) return `${PRIVATE_URL_ERROR}: ${problem}`;
  }
  if (options.restrictToWorkspace) return pathVerdict(command, options.cwd ?? SANDBOX_WORKSPACE);
  return null;
}
