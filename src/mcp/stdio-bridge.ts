/**
 * stdio MCP servers (`command` + `args`) cannot run in a Worker; the sandbox runner starts them and speaks
 * MCP Streamable HTTP for them (sandbox-runner/src/mcp/stdio-bridges.ts). Protocol:
 *
 *   POST|GET|DELETE <runnerUrl>/mcp/stdio/<server>?spec=<base64url(JSON {command, args, env})>&sandbox=<tools.exec.sandbox>
 *
 * The server runs in the same sandbox as exec commands (the runner refuses to start it when it cannot provide
 * the demanded one).
 * The runner keeps one child process per MCP session, pipes JSON-RPC between the HTTP transport and the
 * child's stdin/stdout, and kills the child on DELETE, when it idles for 10 minutes, or when the runner stops.
 * Every request is signed exactly like the runner's exec requests (the same signer, src/sandbox/runner-signature.ts).
 * The spec travels in the signed query, so nobody without the secret can make the runner start a process.
 */
import type { SandboxSetting } from "../../sandbox-runner/src/protocol.ts";
import type { McpServerConfig } from "../config/sections/tools.ts";
import { runnerSigner } from "../sandbox/runner-signature.ts";

const encoder = new TextEncoder();

function base64Url(text: string): string {
  let binary = "";
  for (const byte of encoder.encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}


/** The runner URL a stdio server is reached at. */
export function stdioBridgeUrl(runnerUrl: string, server: string, cfg: McpServerConfig, sandbox: SandboxSetting = "auto"): URL {
  const spec = base64Url(JSON.stringify({ command: cfg.command, args: cfg.args, env: cfg.env }));
  return new URL(`${runnerUrl.replace(/\/+$/, "")}/mcp/stdio/${encodeURIComponent(server)}?spec=${spec}&sandbox=${sandbox}`);
}

async function bodyBytes(body: BodyInit | null | undefined): Promise<Uint8Array> {
  if (body === undefined || body === null) return new Uint8Array();
  return new Uint8Array(await new Response(body).arrayBuffer());
}

/** A fetch that signs every request for the runner (src/sandbox/runner-signature.ts). */
export function signedRunnerFetch(secret: string, base: typeof fetch = fetch): typeof fetch {
  const sign = runnerSigner(secret);
  return async (input, init = {}) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const body = await bodyBytes(init.body ?? (request.body ? await request.arrayBuffer() : null));
    const headers = new Headers(request.headers);
    for (const [name, value] of Object.entries(await sign(request.method, `${url.pathname}${url.search}`, body))) headers.set(name, value);
    return base(request.url, { method: request.method, headers, body: body.length ? body : undefined, signal: init.signal ?? request.signal });
  };
}
