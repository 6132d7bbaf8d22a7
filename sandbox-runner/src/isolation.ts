import { spawnSync } from "node:child_process";
import { lstatSync, readlinkSync } from "node:fs";
import { SANDBOX_WORKSPACE, type IsolationMode } from "./protocol.ts";

export { SANDBOX_WORKSPACE, type IsolationMode } from "./protocol.ts";
const SANDBOX_UID = "1000";

// Only what programs need from /etc. Inside the user namespace the sandbox user owns every root-owned file it
// can see, so mounting all of /etc would expose root-only files (shadow, ssh host keys).
const ETC_ENTRIES = [
  "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives", "ssl", "ca-certificates", "ca-certificates.conf",
  "resolv.conf", "hosts", "host.conf", "nsswitch.conf", "gai.conf", "localtime", "timezone", "mime.types",
  "protocols", "services", "passwd", "group", "gitconfig", "inputrc", "bash.bashrc", "profile",
];

/** Top-level system directories: merged-/usr systems have symlinks here, older ones real directories. */
function systemDirArgs(): string[] {
  const args = ["--ro-bind", "/usr", "/usr"];
  for (const dir of ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]) {
    try {
      const st = lstatSync(dir);
      if (st.isSymbolicLink()) args.push("--symlink", readlinkSync(dir), dir);
      else if (st.isDirectory()) args.push("--ro-bind", dir, dir);
    } catch {
      // absent on this system
    }
  }
  for (const entry of ETC_ENTRIES) args.push("--ro-bind-try", `/etc/${entry}`, `/etc/${entry}`);
  return args;
}

let cachedSystemArgs: string[] | null = null;

/**
 * bwrap argv (without the command) for one workspace directory and a cwd inside it. `network: false` gives the
 * command a network namespace of its own (only its own loopback): it reaches neither the internet nor the
 * host's 127.0.0.1 nor private ranges.
 */
export function bwrapArgs(workspaceDir: string, cwdInside: string, env: Record<string, string>, network = true): string[] {
  cachedSystemArgs ??= systemDirArgs();
  const args = [
    ...cachedSystemArgs,
    "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
    "--bind", workspaceDir, SANDBOX_WORKSPACE,
    "--chdir", cwdInside,
    // By default the network stays shared so curl/git/pip work: the command reaches what the runner's host
    // reaches (README "What the SSRF guard sees"); tools.exec.network false unshares it.
    "--unshare-all", ...(network ? ["--share-net"] : []),
    // As root, bwrap without a user namespace keeps every capability; with it the command is uid 1000, CapEff 0.
    "--unshare-user", "--uid", SANDBOX_UID, "--gid", SANDBOX_UID,
    "--hostname", "sandbox", "--cap-drop", "ALL",
    "--die-with-parent", "--new-session", "--clearenv",
  ];
  for (const [key, value] of Object.entries(env)) args.push("--setenv", key, value);
  return args;
}

/**
 * True when bwrap exists and can actually create the namespaces we ask for (containers and hardened kernels
 * often forbid them). `bwrap` is the binary (RUNNER_BWRAP, default from PATH).
 */
export function bwrapWorks(bwrap = "bwrap"): boolean {
  const probe = spawnSync(bwrap, [...bwrapArgs("/tmp", SANDBOX_WORKSPACE, { PATH: "/usr/bin:/bin" }), "/bin/sh", "-c", "exit 0"], {
    stdio: "ignore",
    timeout: 5000,
  });
  return probe.status === 0;
}

/** The strongest isolation this host offers, unless one is forced by RUNNER_ISOLATION. */
export function detectIsolation(forced?: IsolationMode, bwrap = "bwrap"): IsolationMode {
  if (forced) return forced;
  if (bwrapWorks(bwrap)) return "bwrap";
  if (process.getuid?.() === 0) return "user";
  return "none";
}
