import { describeProblem, execRequestSchema, syncRequestSchema, type ParsedExecRequest, type SyncRequest } from "./protocol.ts";
import { pathSegments } from "./safe-fs.ts";
import { BadRequestError } from "./workspace-store.ts";

export { MAX_TIMEOUT_S } from "./protocol.ts";

export type ExecRequest = Omit<ParsedExecRequest, "timeoutS"> & { timeoutMs: number };

export function parseSync(value: unknown): SyncRequest {
  const parsed = syncRequestSchema.safeParse(value);
  if (!parsed.success) throw new BadRequestError(`sync must be an object {epoch, put?, delete?, ack?}: ${describeProblem(parsed.error)}`);
  return parsed.data;
}

/** Validates a POST /exec body (the shared schema in protocol.ts); throws BadRequestError with a message the Worker can show. */
export function parseExecRequest(body: unknown): ExecRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new BadRequestError("Body must be a JSON object.");
  const parsed = execRequestSchema.safeParse(body);
  if (!parsed.success) throw new BadRequestError(describeProblem(parsed.error));
  const { timeoutS, ...request } = parsed.data;
  if (request.cwd !== "" && !pathSegments(request.cwd)) throw new BadRequestError("cwd must be a path relative to the workspace.");
  return { ...request, timeoutMs: Math.round(timeoutS * 1000) };
}
