/**
 * Every route the README's tables list is one the Worker serves: a renamed or dropped route fails here, not
 * for the user who followed the README. "Served" means the router knows it (our notFound handler answers
 * "No route for …"); what the route then answers to an empty request is the business of its own tests.
 */
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import readme from "../../README.md?raw";

/** `GET /x`, `POST /y/:id` and `GET`/`POST /z` spellings inside backticks in table rows. */
function readmeRoutes(): Array<{ method: string; path: string }> {
  const routes: Array<{ method: string; path: string }> = [];
  // Rows marked "(`npm start` only)" name routes that exist only under the local gateway (wrangler dev's own
  // /__scheduled, the Telegram poll route that needs npm start's secret); their own tests cover them.
  for (const row of readme.split("\n").filter((l) => l.startsWith("|") && !l.includes("(`npm start` only)"))) {
    for (const cell of row.matchAll(/`((?:GET|POST|DELETE|PUT|PATCH)(?:`\/`(?:GET|POST|DELETE|PUT|PATCH))*) (\/[^`\s]*)`/g)) {
      for (const method of cell[1].split("`/`")) routes.push({ method, path: cell[2] });
    }
  }
  return routes;
}

describe("README routes", () => {
  const routes = readmeRoutes();

  it("should find the route tables", () => {
    expect(routes.length).toBeGreaterThan(10);
    expect(routes).toContainEqual({ method: "POST", path: "/webhooks/telegram" });
    expect(routes).toContainEqual({ method: "GET", path: "/admin/channels" });
  });

  it.each(routes.map((r) => [r.method, r.path]))("%s %s should be served by the Worker", async (method, path) => {
    const url = `https://gw${path.replace(/:[a-z]+/gi, "x").replace(/\{[^}]+\}/g, "x")}`;
    const res = await SELF.fetch(url, { method, headers: { authorization: "Bearer key-123" }, ...(method === "GET" ? {} : { body: "{}" }) });
    const text = await res.text();
    expect(text, `${method} ${path} → ${res.status}`).not.toContain("No route for");
  });
});
