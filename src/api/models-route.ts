import { Hono } from "hono";
import type { AppEnv } from "../app-env.ts";
import { listModelIds } from "../providers/create-provider.ts";

export const modelsRoute = new Hono<AppEnv>();

modelsRoute.get("/", (c) =>
  c.json({
    object: "list",
    data: listModelIds(c.get("config")).map((id) => ({ id, object: "model", created: 0, owned_by: "nanobot" })),
  }),
);
