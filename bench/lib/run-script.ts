/** Runs a benchmark script in its own Node process and returns the JSON object it prints last. */
import { spawn } from "node:child_process";
import { repoRoot } from "../../tests/support/run-cli.ts";

export function runJsonScript(args: string[], env: Record<string, string> = {}): Promise<any> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      const start = out.lastIndexOf("\n{") >= 0 ? out.lastIndexOf("\n{") + 1 : out.indexOf("{");
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        resolve(JSON.parse(out.slice(start)));
      } catch (err) {
        reject(new Error(`${args.join(" ")} failed (${(err as Error).message}):\n${out.slice(-1500)}`));
      }
    });
  });
}
