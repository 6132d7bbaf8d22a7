import type { Finding } from "../../src/doctor/types.ts";

/** Checks the CLI also runs on the project's files: those lines come from the files, not from the gateway. */
const LOCAL_CHECKS = new Set(["config", "secrets"]);

const statuses = (findings: Finding[], check: string) => findings.filter((f) => f.check === check).map((f) => f.status).sort().join();

/**
 * Local findings first, then the gateway's. Where both judged the config or secrets, the gateway's lines are
 * kept only when they disagree: then the running gateway has not picked up the files yet.
 */
export function mergeFindings(local: Finding[], gateway: Finding[]): Finding[] {
  const out = [...local];
  for (const check of LOCAL_CHECKS) {
    if (!local.some((f) => f.check === check)) continue;
    const theirs = gateway.filter((f) => f.check === check);
    if (!theirs.length || statuses(local, check) === statuses(gateway, check)) continue;
    out.push(...theirs.map((f) => ({ ...f, check: `${check} (running gateway)`, fix: f.fix || "give a running npm start a few seconds to reload the files (or restart it)" })));
  }
  return [...out, ...gateway.filter((f) => !(LOCAL_CHECKS.has(f.check) && local.some((l) => l.check === f.check)))];
}
