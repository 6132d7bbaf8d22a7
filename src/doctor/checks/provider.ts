import { NoProviderError, UnknownPresetError } from "../../providers/errors.ts";
import { choiceInput, resolveChoiceInput, type ModelChoiceInput, type ResolvedModelChoice } from "../../providers/resolve-model.ts";
import { errorCode, errorMessage, probe } from "../probe.ts";
import { finding, type Finding, type FindingStatus } from "../types.ts";
import type { DoctorContext } from "../types-context.ts";

const OPENAI_DEFAULT_BASE = "https://api.openai.com/v1";
const ANTHROPIC_DEFAULT_BASE = "https://api.anthropic.com";

/** The cheapest authenticated call each backend offers: listing models costs no tokens. */
function modelsRequest(choice: ResolvedModelChoice): { url: string; headers: Record<string, string> } {
  const { apiKey, apiBase, extraHeaders } = choice.providerConfig;
  if (choice.spec.backend === "anthropic") {
    const base = (apiBase ?? ANTHROPIC_DEFAULT_BASE).replace(/\/+$/, "").replace(/\/v1$/, "");
    return { url: `${base}/v1/models`, headers: { ...extraHeaders, "x-api-key": apiKey, "anthropic-version": "2023-06-01" } };
  }
  const base = (apiBase ?? OPENAI_DEFAULT_BASE).replace(/\/+$/, "");
  return { url: `${base}/models`, headers: { ...extraHeaders, ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) } };
}

function keyFix(choice: ResolvedModelChoice): string {
  const { name, envKey } = choice.spec;
  return `set providers.${name}.apiKey${envKey ? ` (or the ${envKey} secret)` : ""} to a valid key from the provider's dashboard`;
}

/** One model choice: can its provider be reached with the configured key? */
async function probeChoice(check: string, choice: ResolvedModelChoice, failAs: FindingStatus): Promise<Finding> {
  const what = `${choice.spec.name} (model ${choice.model})`;
  if (choice.spec.backend === "workers-ai") return finding(check, "ok", `${what}: Workers AI binding present`);
  const { url, headers } = modelsRequest(choice);
  const baseFix = `check providers.${choice.spec.name}.apiBase (${choice.providerConfig.apiBase ?? "the provider's default"}) and that the server is running`;
  const result = await probe(url, { headers });
  if (!result.ok) return finding(check, failAs, `${what}: ${result.reason}`, baseFix);
  const res = result.response;
  if (res.ok) {
    await res.body?.cancel();
    return finding(check, "ok", `${what}: reachable, key accepted`);
  }
  if (res.status === 401 || res.status === 403) {
    // Not the provider's message: OpenAI's quotes part of the key ("Incorrect API key provided: sk-ab****wxyz").
    const code = await errorCode(res);
    return finding(check, failAs, `${what}: the key is wrong: the provider refused it (HTTP ${res.status}${code ? `, ${code}` : ""})`, keyFix(choice));
  }
  const message = await errorMessage(res);
  // Some OpenAI-compatible servers have no model list; the server answered, so it is reachable.
  if (res.status === 404 || res.status === 405) return finding(check, "warn", `${what}: reachable, but ${url.replace(/^.*\/\/[^/]+/, "")} answered ${res.status}, so the key could not be checked`, "");
  return finding(check, failAs, `${what}: the provider answered HTTP ${res.status}: ${message}`, baseFix);
}

/**
 * The default model's provider (a failure is fatal), then each fallback and preset whose endpoint differs
 * (a failure there is a warning: chats still work on the default).
 */
export async function providerChecks(ctx: DoctorContext): Promise<Finding[]> {
  const { config, env } = ctx;
  const targets: Array<{ check: string; preset: string | null; input?: ModelChoiceInput; failAs: FindingStatus }> = [
    { check: "provider", preset: config.agents.defaults.modelPreset, failAs: "fail" },
    ...config.agents.defaults.fallbackModels.map((fb, i) =>
      typeof fb === "string" ? { check: `provider:fallback ${fb}`, preset: fb, failAs: "warn" as const } : { check: `provider:fallback ${i}`, preset: null, input: { ...fb }, failAs: "warn" as const },
    ),
    ...Object.keys(config.modelPresets).map((name) => ({ check: `provider:preset ${name}`, preset: name, failAs: "warn" as const })),
  ];
  const seen = new Set<string>();
  const jobs: Array<Promise<Finding>> = [];
  for (const t of targets) {
    let choice: ResolvedModelChoice;
    try {
      const { input, preset } = t.input ? { input: t.input, preset: null } : choiceInput(config, t.preset);
      choice = resolveChoiceInput(config, env, input, preset);
    } catch (err) {
      if (!(err instanceof NoProviderError || err instanceof UnknownPresetError)) throw err;
      jobs.push(Promise.resolve(finding(t.check, t.failAs, err.message, "see README › Configure a provider")));
      continue;
    }
    const endpoint = JSON.stringify([choice.spec.name, choice.providerConfig.apiBase, choice.providerConfig.apiKey]);
    if (seen.has(endpoint)) continue;
    seen.add(endpoint);
    jobs.push(probeChoice(t.check, choice, t.failAs));
  }
  return Promise.all(jobs);
}
