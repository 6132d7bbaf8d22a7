import { execStatusLine } from "../../../src/sandbox/runner-status.ts";
import { undeliveredStatusLine } from "../../../src/channels/undelivered.ts";
import type { CommandSession } from "./types.ts";

/** A feature's line in /status (sandbox runner, MCP servers, …); null to say nothing. One entry per feature. */
export type StatusSection = (session: CommandSession) => Promise<string | null>;

export const STATUS_SECTIONS: StatusSection[] = [
  (session) => execStatusLine({ config: session.config, env: session.env, workspaceId: session.getMeta<string>("workspace_id") }),
  undeliveredStatusLine,
];
