/** Prompts of the heartbeat run and of the cheap check that decides whether its result is worth telling. */
export const HEARTBEAT_PREAMBLE =
  "This is a scheduled heartbeat check, not a message from the user. Work through the tasks below with your tools. " +
  "Output ONLY the final user-facing message. If nothing needs reporting, respond with just 'All clear.'";

export function heartbeatUserPrompt(workspaceId: string, tasks: string[]): string {
  return [`Heartbeat for workspace ${workspaceId}`, "", HEARTBEAT_PREAMBLE, "", "## Active Tasks", ...tasks].join("\n");
}

export const EVALUATOR_SYSTEM_PROMPT =
  "You decide whether a background check result should be sent to the user as a notification. Notify only for " +
  "something new, actionable or time-sensitive; routine status, 'nothing new' or 'all clear' stay silent. " +
  'Answer with JSON only: {"should_notify": true|false, "reason": "<short reason>"}';

export function evaluatorUserPrompt(workspaceId: string, tasks: string[], result: string): string {
  return [`Heartbeat check for workspace ${workspaceId}`, "", "Tasks:", ...tasks, "", "Result:", result].join("\n");
}

/** `should_notify` from the evaluator's answer; anything unreadable counts as "no" (fail closed). */
export function parseShouldNotify(text: string | null): boolean {
  if (!text) return false;
  const match = /\{[\s\S]*\}/.exec(text);
  if (!match) return false;
  try {
    return (JSON.parse(match[0]) as { should_notify?: unknown }).should_notify === true;
  } catch {
    return false;
  }
}

/** Results that need no second opinion: nothing to tell. */
export const isAllClear = (text: string) => !text.trim() || /^all clear\.?$/i.test(text.trim());
