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

/** String values under config keys that hold secrets (apiKey, token, secret, password, headers, env). */
export function configSecrets(value: unknown, key = ""): string[] {
  if (typeof value === "string") return /key|token|secret|password|authorization|headers|env/i.test(key) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((v) => configSecrets(v, key));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => configSecrets(v, /headers|env$/i.test(key) ? key : k));
  }
  return [];
}
