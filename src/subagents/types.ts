/** What a subagent session knows about its task and whom to report to. */
export interface SubagentTask {
  id: string;
  label: string;
  profile: string;
  task: string;
  parent: { sessionKey: string; workspaceId: string; channel: string; chatId: string };
  /** false when the parent waits for the result itself (spawn wait=true). */
  announce: boolean;
}

/** The channel name of subagent sessions; its outbound reports to the parent. */
export const SUBAGENT_CHANNEL = "subagent";
