import { finding, type Finding } from "../types.ts";
import { unsetVars, type VarReference } from "../var-references.ts";

/**
 * Every `${VAR}` of the config is set. `where` says where this setup reads variables from and `howToSet`
 * how to set one (".dev.vars" locally, `wrangler secret put` deployed). Names only: never a value.
 */
export function secretsCheck(refs: VarReference[], env: Record<string, unknown>, where: string, howToSet: (name: string) => string): Finding[] {
  if (!refs.length) return [finding("secrets", "ok", "the config refers to no ${VAR}")];
  const { missing, empty } = unsetVars(refs, env);
  const used = (r: VarReference) => r.paths.join(", ");
  const findings = [
    ...missing.map((r) => finding("secrets", "fail", `${r.name} is not set in ${where} (used by ${used(r)})`, howToSet(r.name))),
    ...empty.map((r) => finding("secrets", "warn", `${r.name} is set but empty in ${where} (used by ${used(r)})`, howToSet(r.name))),
  ];
  if (!findings.length) findings.push(finding("secrets", "ok", `all ${refs.length} referenced variables are set (${refs.map((r) => r.name).join(", ")})`));
  return findings;
}
