import type { Finding, FindingStatus } from "../../src/doctor/types.ts";

// Words, not colours or symbols alone: the output must read the same in a log file or a screen reader.
const LABEL: Record<FindingStatus, string> = { ok: "ok  ", warn: "warn", fail: "FAIL" };

/** One line per finding: `FAIL  telegram: <what was found> — fix: <what to do>`. */
export function formatFinding(f: Finding): string {
  return `${LABEL[f.status]}  ${f.check}: ${f.detail}${f.fix ? ` — fix: ${f.fix}` : ""}`;
}

export function formatSummary(findings: Finding[]): string {
  const count = (s: FindingStatus) => findings.filter((f) => f.status === s).length;
  const failed = count("fail");
  const warned = count("warn");
  if (!failed && !warned) return `All ${findings.length} checks passed.`;
  return `${failed} problem(s), ${warned} warning(s), ${count("ok")} ok.${failed ? " Fix the FAIL lines first." : ""}`;
}
