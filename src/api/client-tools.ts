import type { ClientTools } from "../agent/client-tools.ts";
import type { Config } from "../config/schema.ts";
import type { Env } from "../env.ts";
import { pluginTools } from "../plugins/plugin-tools.ts";
import type { ToolChoice, ToolSchema } from "../providers/types.ts";
import { builtinTools } from "../tools/builtin-tools.ts";
import { goalUpdateTool } from "../tools/goal-update.ts";
import { openAiError } from "./openai-error.ts";

/** A function tool as either API sends it: chat nests it under `function`, the Responses API does not. */
export interface FunctionToolInput {
  type: string;
  name?: string;
  description?: string;
  parameters?: Record<string, unknown>;
  function?: { name: string; description?: string; parameters?: Record<string, unknown> };
}

export type ToolChoiceInput = string | { type: string; name?: string; function?: { name: string } } | undefined;

const invalid = (message: string, param: string, code = "invalid_value") => openAiError(400, message, "invalid_request_error", code, param);

/** Names the agent's own tools use or may use: built-ins, plugins, the goal tool and every `mcp_` name. */
function ownsName(config: Config, env: Env, name: string): boolean {
  if (name.startsWith("mcp_") || name === goalUpdateTool.name) return true;
  return [...builtinTools(config, env), ...pluginTools()].some((t) => t.name === name);
}

/**
 * The request's `tools`/`tool_choice` as client tools. A name the agent already uses is refused (400 naming
 * it): the model could not tell the two apart, and the server would run its own instead of asking the client.
 */
export function parseClientTools(config: Config, env: Env, tools: FunctionToolInput[] | undefined, choice: ToolChoiceInput): ClientTools | undefined {
  if (!tools?.length) {
    if (choice && typeof choice === "object") throw invalid("tool_choice names a function, but the request has no tools.", "tool_choice");
    return choice === "none" ? { tools: [], choice: "none" } : undefined;
  }
  const schemas: ToolSchema[] = [];
  tools.forEach((tool, i) => {
    if (tool.type !== "function") {
      throw invalid(`tools[${i}]: only tools of type 'function' are supported here, not '${tool.type}'.`, `tools[${i}].type`, "unsupported_tool_type");
    }
    const fn = tool.function ?? tool;
    const name = fn.name ?? "";
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) throw invalid(`tools[${i}]: the function name '${name}' must be 1-64 letters, digits, '_' or '-'.`, `tools[${i}].name`);
    if (ownsName(config, env, name)) {
      throw invalid(`tools[${i}]: the name '${name}' is taken by one of the agent's own tools (built-in, plugin or mcp_*). Rename the client tool.`, `tools[${i}].name`, "tool_name_conflict");
    }
    if (schemas.some((s) => s.name === name)) throw invalid(`tools[${i}]: the name '${name}' appears twice.`, `tools[${i}].name`);
    schemas.push({ name, description: fn.description ?? "", parameters: fn.parameters ?? { type: "object", properties: {} } });
  });
  return { tools: schemas, choice: parseChoice(choice, schemas) };
}

function parseChoice(choice: ToolChoiceInput, tools: ToolSchema[]): ToolChoice | undefined {
  if (choice === undefined || choice === "auto" || choice === "none" || choice === "required") return choice;
  if (typeof choice === "string") throw invalid(`tool_choice must be 'auto', 'none', 'required' or a function, not '${choice}'.`, "tool_choice");
  const name = choice.function?.name ?? choice.name;
  if (choice.type !== "function" || !name || !tools.some((t) => t.name === name)) {
    throw invalid(`tool_choice names the function '${name ?? ""}', which is not in tools.`, "tool_choice");
  }
  return { name };
}
