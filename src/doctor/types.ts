/** What `GET /admin/doctor` and `npx nanobot doctor` report: one finding per line, each with its fix. */
export type FindingStatus = "ok" | "warn" | "fail";

export interface Finding {
  /** Short name of what was checked: "config", "provider", "telegram", "mcp:search", … */
  check: string;
  status: FindingStatus;
  /** What was found, never a secret value. */
  detail: string;
  /** What to do about it; empty when nothing needs doing. */
  fix: string;
}

export interface DoctorReport {
  /** False when any finding failed. */
  ok: boolean;
  findings: Finding[];
}

export const finding = (check: string, status: FindingStatus, detail: string, fix = ""): Finding => ({ check, status, detail, fix });

export function report(findings: Finding[]): DoctorReport {
  return { ok: findings.every((f) => f.status !== "fail"), findings };
}
