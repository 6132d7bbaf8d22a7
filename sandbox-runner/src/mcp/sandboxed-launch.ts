import { existsSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { bwrapArgs, SANDBOX_WORKSPACE, type IsolationMode } from "../isolation.ts";
import type { StdioSpec } from "./stdio-process.ts";

/** What a stdio MCP server process is started as: the program, its argv, environment and host cwd. */
export interface Launch {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

const SEARCH_PATH = ["/usr/local/bin", "/usr/bin", "/bin"];
// Mounted by bwrapArgs already (read-only): no extra mount needed for programs there.
const SYSTEM_PREFIXES = ["/usr/", "/bin/", "/sbin/", "/lib/", "/lib32/", "/lib64/", "/etc/"];
const PROJECT_MARKERS = ["package.json", "node_modules", "pyproject.toml"];

/** The program the spec names, as a host path, or null when it does not exist (checked before anything starts). */
export function findProgram(command: string): string | null {
  if (command.includes("/")) return existsSync(command) ? path.resolve(command) : null;
  for (const dir of SEARCH_PATH) if (existsSync(path.join(dir, command))) return path.join(dir, command);
  return null;
}

/**
 * Host paths an operator's server needs inside the sandbox: the program and every absolute path among its
 * arguments that exists (and their symlink targets), each as the nearest folder above it holding a package.json, node_modules or
 * pyproject.toml (so its imports resolve), else its own folder. Mounted read-only at the same path.
 */
export function hostMountsFor(program: string, spec: StdioSpec): string[] {
  const mounts = new Set<string>();
  const candidates = [program, ...spec.args].filter((c) => path.isAbsolute(c) && existsSync(c));
  // A symlink (node_modules/.bin/x) needs its target's folder as well as its own.
  for (const resolved of candidates.flatMap((c) => [path.resolve(c), realpathSync(c)])) {
    if (SYSTEM_PREFIXES.some((p) => resolved.startsWith(p))) continue;
    let dir = statSync(resolved).isDirectory() ? resolved : path.dirname(resolved);
    for (let up = dir; up !== path.dirname(up); up = path.dirname(up)) {
      if (PROJECT_MARKERS.some((m) => existsSync(path.join(up, m)))) {
        dir = up;
        break;
      }
    }
    mounts.add(dir);
  }
  // A folder inside another mounted one adds nothing.
  return [...mounts].filter((m) => ![...mounts].some((o) => o !== m && m.startsWith(`${o}/`)));
}

/**
 * How a stdio MCP server starts in the same sandbox as exec commands. Under bwrap: its private directory is
 * the sandbox's /workspace (cwd and HOME), the system read-only, the mounts of hostMountsFor read-only, uid
 * 1000 without capabilities; it cannot see the runner's state or any workspace. Otherwise it starts directly
 * (in `user` mode as a uid no workspace has, set by the caller).
 */
export function launchFor(mode: IsolationMode, program: string, spec: StdioSpec, dir: string, bwrapPath: string): Launch {
  const env = { PATH: SEARCH_PATH.join(":"), HOME: mode === "bwrap" ? SANDBOX_WORKSPACE : dir, LANG: "C.UTF-8", ...spec.env };
  if (mode !== "bwrap") return { file: program, args: spec.args, env, cwd: dir };
  const args = bwrapArgs(dir, SANDBOX_WORKSPACE, env);
  for (const mount of hostMountsFor(program, spec)) args.push("--ro-bind", mount, mount);
  return { file: bwrapPath, args: [...args, program, ...spec.args], env: {}, cwd: dir };
}
