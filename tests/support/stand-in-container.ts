import { env } from "cloudflare:test";
import type { Env } from "../../src/env.ts";

/**
 * The deployed SANDBOX_CONTAINER binding, standing in (the local test setup has no Containers): records which
 * instance each request reaches and forwards it to a real runner. Returns the Worker env with it bound.
 */
export function containerBinding(runner: { url: string }): { reached: string[]; env: Env } {
  const reached: string[] = [];
  const namespace = {
    getByName(name: string) {
      return {
        fetch(request: Request) {
          reached.push(name);
          const url = new URL(request.url);
          return fetch(new Request(`${runner.url}${url.pathname}${url.search}`, request));
        },
      };
    },
  };
  return { reached, env: { ...env, SANDBOX_CONTAINER: namespace } as unknown as Env };
}
