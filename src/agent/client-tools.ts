import type { ToolCall, ToolChoice, ToolSchema } from "../providers/types.ts";

/**
 * Client-side tools (OpenAI `tools` of type function): the model sees them beside the agent's own, but the
 * server cannot run them. A model step that calls one ends the turn with the calls pending; the client runs
 * them and sends the results, which continue the same conversation.
 */
export interface ClientTools {
  tools: ToolSchema[];
  choice?: ToolChoice;
}

/** The calls of one model step that belong to the client (their names are client tool names). */
export function clientCallsOf(calls: ToolCall[], client: ClientTools | undefined): ToolCall[] {
  if (!client?.tools.length) return [];
  const names = new Set(client.tools.map((t) => t.name));
  return calls.filter((c) => names.has(c.name));
}

/**
 * `tool_choice` per model call of the turn: "none" holds for every call; "required" and a named function
 * force only the first call, since forcing every call of an agent loop would never let it answer.
 */
export function toolChoiceFor(client: ClientTools | undefined, modelCall: number): ToolChoice | undefined {
  const choice = client?.choice;
  if (!choice || choice === "auto") return undefined;
  if (choice === "none") return "none";
  return modelCall === 1 ? choice : undefined;
}
