import { BadRequestError, type SyncRequest, validWorkspaceId } from "./workspace-store.ts";
import { pathSegments } from "./safe-fs.ts";

export interface ExecRequest {
  workspace: string;
  command: string;
  /** Working directory relative to the workspace root; "" = the root. */
  cwd: string;
  timeoutMs: number;
  env: Record<string, string>;
  maxOutputBytes: number;
  sync?: SyncRequest;
}

export const MAX_TIMEOUT_S = 3600;
const DEFAULT_OUTPUT_BYTES = 256 * 1024;
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
// The runner's own settings never reach a command, whatever the Worker asks for.
const FORBIDDEN_ENV = /^(RUNNER_|LD_PRELOAD$|LD_LIBRARY_PATH$)/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function parseSync(value: unknown): SyncRequest {
  if (!isObject(value)) throw new BadRequestError("sync must be an object {epoch, put?, delete?, ack?}.");
  const { epoch, put, delete: del, ack } = value;
  if (epoch !== null && typeof epoch !== "string") throw new BadRequestError("sync.epoch must be a string or null.");
  if (put !== undefined && !Array.isArray(put)) throw new BadRequestError("sync.put must be an array.");
  if (del !== undefined && (!Array.isArray(del) || del.some((p) => typeof p !== "string"))) throw new BadRequestError("sync.delete must be an array of paths.");
  if (ack !== undefined && !isObject(ack)) throw new BadRequestError("sync.ack must be an object {path: etag}.");
  return { epoch, put: put as SyncRequest["put"], delete: del as string[] | undefined, ack: ack as Record<string, string> | undefined };
}

/** Validates a POST /exec body; throws BadRequestError with a message the Worker can show. */
export function parseExecRequest(body: unknown): ExecRequest {
  if (!isObject(body)) throw new BadRequestError("Body must be a JSON object.");
  const { workspace, command, cwd = "", timeoutS = 60, env = {}, maxOutputBytes = DEFAULT_OUTPUT_BYTES, sync } = body;
  if (!validWorkspaceId(workspace)) throw new BadRequestError("workspace must be an id like 'main' or 'main/telegram-42'.");
  if (typeof command !== "string" || command.trim() === "") throw new BadRequestError("command must be a non-empty string.");
  if (typeof cwd !== "string" || (cwd !== "" && !pathSegments(cwd))) throw new BadRequestError("cwd must be a path relative to the workspace.");
  if (typeof timeoutS !== "number" || !(timeoutS > 0) || timeoutS > MAX_TIMEOUT_S) throw new BadRequestError(`timeoutS must be between 0 and ${MAX_TIMEOUT_S}.`);
  if (!isObject(env) || Object.entries(env).some(([k, v]) => !ENV_KEY.test(k) || FORBIDDEN_ENV.test(k) || typeof v !== "string")) {
    throw new BadRequestError("env must map variable names to strings (RUNNER_* and LD_* are not allowed).");
  }
  if (typeof maxOutputBytes !== "number" || maxOutputBytes < 1024 || maxOutputBytes > MAX_OUTPUT_BYTES) {
    throw new BadRequestError(`maxOutputBytes must be between 1024 and ${MAX_OUTPUT_BYTES}.`);
  }
  return {
    workspace,
    command,
    cwd,
    timeoutMs: Math.round(timeoutS * 1000),
    env: env as Record<string, string>,
    maxOutputBytes,
    sync: sync === undefined ? undefined : parseSync(sync),
  };
}
