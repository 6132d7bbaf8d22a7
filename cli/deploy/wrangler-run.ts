import { spawn } from "node:child_process";
import { wranglerCommand, wranglerEnv } from "../../scripts/lib/wrangler.ts";

export interface WranglerResult {
  code: number;
  output: string;
}

/**
 * Runs `wrangler <args>` in the project folder `root`. `show` streams its output to ours (wrangler never prints
 * secret values: a secrets file's bindings are listed by name only); otherwise the output is only returned.
 * stdin is closed, so wrangler never waits on a prompt (it takes its non-interactive defaults).
 */
export function runWrangler(root: string, args: string[], options: { show?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<WranglerResult> {
  const { command, args: argv } = wranglerCommand(args);
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { cwd: root, env: wranglerEnv(options.env), stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const take = (stream: NodeJS.WriteStream) => (d: Buffer) => {
      output += d.toString();
      if (options.show) stream.write(d);
    };
    child.stdout.on("data", take(process.stdout));
    child.stderr.on("data", take(process.stderr));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}
