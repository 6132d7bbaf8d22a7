import { ToolError } from "../tools/types.ts";

/**
 * Where the agent sees its workspace. File tools accept `/workspace/<rel>` as well as `<rel>`, and the
 * sandbox runner mounts the workspace at this same path, so `exec` and the file tools agree on names.
 */
export const WORKSPACE_MOUNT = "/workspace";

/**
 * Appended to every boundary refusal. Refusals are ordinary recoverable tool errors (never fatal); the note
 * tells the model why retrying with another tool is pointless (see src/agent/safety/workspace-violations.ts).
 */
export const BOUNDARY_NOTE =
  "[This is a hard policy boundary, not a bug: file tools and exec can only reach the workspace (" +
  WORKSPACE_MOUNT +
  "). Do not retry with another tool, shell tricks, encodings, symlinks or working_dir overrides. " +
  "Use workspace-relative paths, or ask the user to put the file into the workspace or paste its content.]";

/** A path that leaves the workspace. Extends ToolError so the model sees `Error: <message>` and the turn goes on. */
export class WorkspaceBoundaryError extends ToolError {
  override name = "WorkspaceBoundaryError";
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`Path '${printable(path)}' is outside the configured workspace (${reason}).\n\n${BOUNDARY_NOTE}`);
  }
}

// R2 keys are at most 1024 bytes; leave room for the `workspaces/<id>/` prefix.
const MAX_PATH_BYTES = 768;
const MAX_DECODE_ROUNDS = 4;

function printable(path: string): string {
  const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
  // Control characters (NUL included) would corrupt logs and the model's view; show them escaped.
  return shown.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** One round of lenient percent-decoding: `%XX` and IIS-style `%uXXXX`; malformed sequences stay as they are. */
function decodeOnce(text: string): string {
  const unicode = text.replace(/%u([0-9a-f]{4})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  try {
    return decodeURIComponent(unicode);
  } catch {
    // Invalid UTF-8 somewhere: decode the ASCII escapes only, which is what matters for `.`, `/`, `\`, NUL.
    return unicode.replace(/%([0-7][0-9a-f])/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}

/** The path as written plus every decoded / compatibility-normalised reading a later layer might apply. */
function readings(raw: string): string[] {
  const out = [raw];
  let current = raw;
  for (let i = 0; i < MAX_DECODE_ROUNDS && /%(?:[0-9a-f]{2}|u[0-9a-f]{4})/i.test(current); i++) {
    const next = decodeOnce(current);
    if (next === current) break;
    out.push(next);
    current = next;
  }
  // Fullwidth dots and slashes (U+FF0E, U+FF0F) become `../` under NFKC.
  for (const text of [...out]) {
    const nfkc = text.normalize("NFKC");
    if (nfkc !== text) out.push(nfkc);
  }
  return out;
}

/** Checks one reading; returns the normalised relative path or a refusal reason. */
function normalise(reading: string): { rel: string } | { reason: string } {
  if (reading.includes("\0")) return { reason: "NUL byte in path" };
  if (/[\u0001-\u001f\u007f]/.test(reading)) return { reason: "control character in path" };
  let p = reading.replace(/\\/g, "/");
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p)) return { reason: "URLs such as file:// are not workspace paths" };
  if (/^[a-z]:/i.test(p)) return { reason: "Windows drive paths are not workspace paths" };
  if (p.startsWith("~")) return { reason: "home directory paths (~) are not workspace paths" };
  if (p.startsWith("/")) {
    p = p.replace(/\/{2,}/g, "/");
    if (p === WORKSPACE_MOUNT || p.startsWith(`${WORKSPACE_MOUNT}/`)) p = p.slice(WORKSPACE_MOUNT.length);
    else return { reason: `absolute paths must be under ${WORKSPACE_MOUNT}/` };
  }
  const parts: string[] = [];
  for (const segment of p.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (parts.length === 0) return { reason: "path traversal detected: '..' leaves the workspace" };
      parts.pop();
      continue;
    }
    parts.push(segment);
  }
  return { rel: parts.join("/") };
}

/**
 * Turns a path the model gave into a normalised workspace-relative path (`""` is the workspace root), or throws
 * WorkspaceBoundaryError. Relative paths are relative to the workspace; `/workspace/…` is the same place.
 * Every decoded reading of the path (percent, double-percent, %u, NFKC) must stay inside as well, because a
 * later layer (a shell, a URL parser, the sandbox runner) might decode it again.
 */
export function resolveWorkspacePath(path: string): string {
  const trimmed = path.trim();
  if (/%(?:c0|c1|e0%[89][0-9a-f]|f0%80%80)/i.test(trimmed)) {
    throw new WorkspaceBoundaryError(path, "path traversal detected: overlong UTF-8 encoding");
  }
  let resolved: string | null = null;
  for (const reading of readings(trimmed)) {
    const result = normalise(reading);
    if ("reason" in result) {
      const encoded = reading !== trimmed && !result.reason.startsWith("path traversal") ? " (after decoding)" : "";
      throw new WorkspaceBoundaryError(path, result.reason + encoded);
    }
    resolved ??= result.rel;
  }
  const rel = resolved ?? "";
  if (new TextEncoder().encode(rel).length > MAX_PATH_BYTES) {
    throw new ToolError(`Path is too long (more than ${MAX_PATH_BYTES} bytes). Use a shorter file name.`);
  }
  return rel;
}

/** How a workspace-relative path is shown to the model: `.` for the root. */
export function displayPath(rel: string): string {
  return rel === "" ? "." : rel;
}
