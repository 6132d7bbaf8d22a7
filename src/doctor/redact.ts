/**
 * Last line of defence for "secrets are never printed": replaces every known secret value in a text. Checks
 * already avoid quoting secrets; this catches the ones a platform echoes back (a URL with a bot token in it).
 */
const MIN_SECRET_LENGTH = 4;

export function redactor(secrets: Iterable<unknown>): (text: string) => string {
  const values = [...new Set([...secrets].filter((s): s is string => typeof s === "string" && s.length >= MIN_SECRET_LENGTH))].sort(
    (a, b) => b.length - a.length,
  );
  return (text) => values.reduce((out, secret) => out.split(secret).join("***"), text);
}

// Keys whose string value is a secret (apiKey, botToken, signingSecret, encodingAesKey, …); `allowedEnvKeys`
// and `maxTokens` end differently and are not.
const SECRET_KEY = /(key|token|secret|password|authorization)$/i;

/** `headers`, `extraHeaders`, `env`: objects whose every value may carry a credential. */
const holdsSecrets = (key: string) => /headers$/i.test(key) || key === "env";

/** String values under config keys that hold secrets, and every value of header and env objects. */
export function configSecrets(value: unknown, key = ""): string[] {
  if (typeof value === "string") return SECRET_KEY.test(key) || holdsSecrets(key) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((v) => configSecrets(v, key));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => configSecrets(v, holdsSecrets(key) ? key : k));
  }
  return [];
}
