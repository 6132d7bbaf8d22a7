import { env } from "cloudflare:test";
import type { ScriptStep } from "./stand-in-llm-types.ts";
import type { StandIns } from "./stand-ins.d.ts";

export const standIns = (): StandIns => JSON.parse(env.STAND_INS);

/** Registers scripted answers for requests whose user messages contain `match`. */
export async function scriptLlm(match: string, steps: ScriptStep[]): Promise<void> {
  const res = await fetch(`${standIns().llm}/__scripts`, { method: "POST", body: JSON.stringify({ match, steps }) });
  if (!res.ok) throw new Error(`stand-in LLM refused the script: ${res.status}`);
}

/** Request bodies the stand-in LLM received that contained `match`. */
export async function llmRequests(match: string): Promise<Array<{ path: string; body: any; headers: Record<string, string> }>> {
  const res = await fetch(`${standIns().llm}/__requests?match=${encodeURIComponent(match)}`);
  return res.json();
}

export const uniqueToken = (label = "t") => `${label}-${crypto.randomUUID().slice(0, 8)}`;
