import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { configSchema } from "../../../src/config/schema.ts";
import { execTool } from "../../../src/tools/exec/exec-tool.ts";
import { guardCommand } from "../../../src/tools/exec/command-guard.ts";
import type { ToolContext } from "../../../src/tools/types.ts";
import { createWorkspace } from "../../../src/workspace/r2-workspace.ts";
import { standIns } from "../../support/llm-script.ts";

// README, "What exec's URL check sees": one test per sentence.

async function run(command: string, exec: Record<string, unknown> = {}): Promise<string> {
  const runner = standIns().runner;
  const ctx: ToolContext = {
    env,
    // Absolute paths such as /dev/tcp would meet the workspace check first; these tests are about the network.
    config: configSchema.parse({ tools: { restrictToWorkspace: false, exec: { runnerUrl: runner.url, runnerSecret: runner.secret, ...exec } } }),
    workspace: createWorkspace(env.WORKSPACE, `url-check-${crypto.randomUUID()}`),
    sessionKey: "test:url-check",
    origin: { channel: "test", chatId: "1" },
    signal: new AbortController().signal,
    emit: () => {},
  };
  return (await execTool.execute(execTool.parameters.parse({ command }), ctx)) as string;
}

describe("exec's URL check", () => {
  it("should refuse an http(s) URL written in the command that points inside", async () => {
    const out = await run("curl -s http://169.254.169.254/latest/meta-data/");
    expect(out).toMatch(/^Error: Command blocked by safety guard \(internal\/private URL detected\)/);
  });

  it.each([
    ['a URL assembled when the command runs', 'curl "http://127.0.0.$((1))/"'],
    ["a URL inside a script file", "bash fetch.sh"],
    ["ssh", "ssh admin@10.0.0.1 uptime"],
    ["git over ssh", "git clone git@10.0.0.1:team/repo.git"],
    ["bash's /dev/tcp", "exec 3<>/dev/tcp/10.0.0.1/80"],
    ["redirects a program follows", "curl -L https://example.com/redirect-to-intranet"],
  ])("should not see %s (it reads the command's text only)", async (_what, command) => {
    expect(await guardCommand(command, { restrictToWorkspace: false })).toBeNull();
  });

  it("should let a command reach the runner host's own 127.0.0.1 through the shared network under bubblewrap", async () => {
    const port = new URL(standIns().webPages).port;
    const out = await run(`h=127.0.0.$((1)); curl -s "http://$h:${port}/text/readme"`);
    expect(out).toBe("plain text body\nsecond line\n\nExit code: 0");
  });

  it("should reach nothing at all with tools.exec.network false", async () => {
    const port = new URL(standIns().webPages).port;
    const out = await run(`h=127.0.0.$((1)); curl -s --max-time 5 "http://$h:${port}/text/readme"; echo "curl exit $?"`, { network: false });
    expect(out).toBe("curl exit 7\n\n\nExit code: 0"); // 7: could not connect
  });
});
