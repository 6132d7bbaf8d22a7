import { Hono } from "hono";
import type { AppEnv } from "../app-env.ts";
import type { Config } from "../config/schema.ts";
import { listModelIds } from "../providers/create-provider.ts";
import { openAiError } from "./openai-error.ts";

export const modelsRoute = new Hono<AppEnv>();

/** OpenAI's model object; `nanobot.preset` says whether the id is a modelPresets name (else the configured model). */
function modelObject(config: Config, id: string) {
  return { id, object: "model", created: 0, owned_by: "nanobot", nanobot: { preset: id in config.modelPresets } };
}

modelsRoute.get("/", (c) => {
  const config = c.get("config");
  return c.json({ object: "list", data: listModelIds(config).map((id) => modelObject(config, id)) });
});

modelsRoute.get("/:id{.+}", (c) => {
  const config = c.get("config");
  const id = c.req.param("id");
  // "default" is accepted wherever a model is named (the configured model), so it can be looked up too.
  if (id !== "default" && !listModelIds(config).includes(id)) {
    const available = listModelIds(config).join(", ");
    throw openAiError(404, `The model '${id}' does not exist. Available: ${available}`, "invalid_request_error", "model_not_found", "model");
  }
  return c.json(modelObject(config, id));
});
