import { CliError } from "./cli-error.ts";
import { stripErrorPrefix } from "./error-output.ts";

/** The errors a user sees, one sentence each, saying what to do. */
export const messages = {
  unreachable: (url: string) =>
    `Cannot reach the nanobot gateway at ${url}. Start it with \`npm start\` (or \`npx nanobot gateway\`).`,
  noKey: (url: string) =>
    `The gateway at ${url} needs an API key and none was found. Set NANOBOT_API_KEY, pass --api-key, or run inside the ` +
    "project folder: its .dev.vars holds the key as NANOBOT_API_KEY (`npx nanobot onboard` writes it).",
  badKey: (url: string, source: string) =>
    `The gateway at ${url} rejected the API key from ${source} (401). Use the gateway's key: NANOBOT_API_KEY in the ` +
    "project's .dev.vars (written by `npx nanobot onboard`); set NANOBOT_API_KEY or pass --api-key for another gateway.",
  noAnswer: (url: string, seconds: number, what: string) =>
    `No answer from the gateway at ${url} within ${seconds} s (${what}). Is it still starting? Check the terminal running ` +
    "`npm start` for errors; --timeout SECONDS (or NANOBOT_TIMEOUT) waits longer.",
  noReply: (url: string, seconds: number, what: string) =>
    `The gateway at ${url} sent nothing for ${seconds} s (${what}). A turn may still be running there (a slow model or ` +
    "a long tool); --reply-timeout SECONDS (or NANOBOT_REPLY_TIMEOUT) waits longer.",
  invalidConfig: (problem: string) => {
    // A missing variable's message already says where to set it (src/config/interpolate.ts missingVariable).
    const fix = /environment variable '[A-Za-z_][A-Za-z0-9_]*' is not set/.test(problem)
      ? "A running `npm start` reloads .dev.vars by itself once it is added."
      : "Fix it in nanobot.config.json (or NANOBOT_CONFIG): a running `npm start` picks up the fix without a restart; " +
        "a deployed gateway needs `npx nanobot deploy`.";
    return `The gateway's configuration is invalid: ${problem}\n${fix}`;
  },
};

interface ErrorBody {
  status?: string;
  error?: string | { message?: string; code?: string };
  message?: string;
}

/** The gateway's own words from an error body: `{"status":"error","error":…}` or OpenAI's `{"error":{"message"}}`. */
function describeBody(text: string): { message: string | null; invalidConfig: string | null } {
  let parsed: ErrorBody;
  try {
    parsed = JSON.parse(text) as ErrorBody;
  } catch {
    return { message: null, invalidConfig: null };
  }
  if (parsed.status === "error" && typeof parsed.error === "string") return { message: parsed.error, invalidConfig: parsed.error };
  if (parsed.error && typeof parsed.error === "object") {
    const message = parsed.error.message ?? null;
    if (parsed.error.code === "invalid_config" && message) return { message, invalidConfig: message.replace(/^Invalid configuration:\s*/, "") };
    return { message, invalidConfig: null };
  }
  return { message: typeof parsed.error === "string" ? parsed.error : (parsed.message ?? null), invalidConfig: null };
}

/** A CliError for a non-OK answer (401 is handled by the caller, which knows where the key came from). */
export async function errorFromResponse(res: Response): Promise<CliError> {
  const text = await res.text().catch(() => "");
  const { message, invalidConfig } = describeBody(text);
  if (invalidConfig && (res.status === 500 || res.status === 503)) return new CliError(messages.invalidConfig(invalidConfig));
  const said = stripErrorPrefix(message ?? (text.trim().slice(0, 500) || res.statusText));
  return new CliError(`The gateway answered ${res.status}: ${said}`);
}
