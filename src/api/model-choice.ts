import type { Config } from "../config/schema.ts";
import { listModelIds } from "../providers/create-provider.ts";
import { openAiError } from "./openai-error.ts";

/** A model id from /v1/models: the configured model (no override) or a preset name (that preset). */
export function presetFor(config: Config, model: string | undefined): string | null {
  if (!model || model === config.agents.defaults.model || model === "default") return null;
  if (config.modelPresets[model]) return model;
  const available = listModelIds(config).join(", ");
  throw openAiError(404, `The model '${model}' does not exist. Available: ${available}`, "invalid_request_error", "model_not_found", "model");
}
