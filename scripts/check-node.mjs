/**
 * The Node.js guard in front of every npm script and `npx nanobot`. Plain JavaScript on purpose: it must run on
 * any Node (npm itself may run on an old system Node), while everything behind it is TypeScript that Node runs
 * by stripping the types.
 *
 * Which Node runs the project: where npm installed a pinned Node 24 (the optional `node-<os>-<cpu>` packages in
 * package.json; npm skips those whose os/cpu do not match) npm scripts and npx find it first on PATH. Elsewhere
 * (macOS: the registry has no `node-darwin-*` 24 build) the system Node runs it, which must be ≥ 22.18: wrangler
 * needs ≥ 22.12, and only from 22.18 does Node run `.ts` files without `--experimental-strip-types`.
 *
 *   node scripts/check-node.mjs                              exit 1 with one line when this Node cannot run the project
 *                                                            (the command after `&&` runs on this same `node`)
 *   node scripts/check-node.mjs [--postinstall] <file> [args…]   run <file> on a suitable Node; with --postinstall an
 *                                                            unsuitable Node is reported but not an error, so that
 *                                                            `npm ci` itself still succeeds
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const MIN_NODE = "22.18.0";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Why this Node cannot run the project (one line), or null when it can.
 * @param {string} version e.g. "v20.20.2" or "20.20.2"
 * @param {unknown} typescript `process.features.typescript`: "strip"/"transform" when this process runs `.ts` files
 * @returns {string | null}
 */
export function nodeProblem(version, typescript) {
  const [major = 0, minor = 0] = version.replace(/^v/, "").split(".").map(Number);
  /** @param {number} maj @param {number} min */
  const atLeast = (maj, min) => major > maj || (major === maj && minor >= min);
  const found = `v${version.replace(/^v/, "")}`;
  const needed = `nanobot-edge needs Node.js ${MIN_NODE} or newer`;
  if (!atLeast(22, 12)) return `${needed}, found ${found}. Install Node.js 24 (or 22.18+) and run the command again.`;
  if (!typescript) {
    // 22.12–22.17 (and 23.0–23.5) satisfy wrangler but run TypeScript only when started with --experimental-strip-types.
    const flagged = !atLeast(22, 18) || (major === 23 && minor < 6);
    return flagged
      ? `${needed}, found ${found}, which runs TypeScript only with --experimental-strip-types. Update Node.js to 22.18+ or 24 and run the command again.`
      : `nanobot-edge runs TypeScript directly, but this Node.js ${found} has type stripping turned off (--no-experimental-strip-types, e.g. in NODE_OPTIONS). Remove that flag and run the command again.`;
  }
  return null;
}

/**
 * Name of the pinned Node package for a platform: node-<os>-<cpu>, with "win" for win32.
 * @param {string} [platform] @param {string} [arch]
 */
export function pinnedNodePackage(platform = process.platform, arch = process.arch) {
  return `node-${platform === "win32" ? "win" : platform}-${arch}`;
}

/**
 * The pinned Node binary npm installed for this platform, or null (not published for it, or not installed).
 * @returns {string | null}
 */
export function pinnedNode(projectRoot = root) {
  const dir = path.join(projectRoot, "node_modules", pinnedNodePackage());
  try {
    const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
    const bin = typeof pkg.bin === "string" ? pkg.bin : pkg.bin?.node;
    const file = typeof bin === "string" ? path.join(dir, bin) : null;
    return file && existsSync(file) ? file : null;
  } catch {
    return null;
  }
}

/**
 * The Node to run the project with: this one when it can (`self`), else the pinned one, else null with the reason.
 * @returns {{ node: string, self: boolean, problem: null } | { node: null, self: false, problem: string }}
 */
export function suitableNode() {
  const problem = nodeProblem(process.version, process.features?.typescript);
  if (!problem) return { node: process.execPath, self: true, problem: null };
  const pinned = pinnedNode();
  return pinned ? { node: pinned, self: false, problem: null } : { node: null, self: false, problem };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const argv = process.argv.slice(2);
  const postinstall = argv[0] === "--postinstall";
  const [file, ...args] = postinstall ? argv.slice(1) : argv;
  const found = suitableNode();
  // Without a file the caller runs the next command on this same `node`, so only this Node itself counts.
  const node = file ? found.node : found.self ? found.node : null;
  const problem = found.problem ?? nodeProblem(process.version, process.features?.typescript);
  if (!node) {
    // During `npm ci` this is a note, not a failure: the install itself is complete; start/test will say it again.
    process.stderr.write(postinstall ? `${problem} (skipped preparing the project)\n` : `${problem}\n`);
    process.exit(postinstall ? 0 : 1);
  }
  if (file) {
    const result = spawnSync(node, [file, ...args], { stdio: "inherit" });
    process.exit(result.status ?? 1);
  }
}
