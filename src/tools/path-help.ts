import { WORKSPACE_MOUNT } from "../workspace/path-guard.ts";

/** Parameter help shared by the file tools; short because every tool schema is in every prompt. */
export const PATH_HELP = `Relative to the workspace (or under ${WORKSPACE_MOUNT}/).`;
