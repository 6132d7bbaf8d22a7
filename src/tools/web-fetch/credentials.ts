/**
 * Whether a URL carries credentials (query parameters named like secrets, or userinfo). Such URLs are never
 * handed to a third party (Jina Reader) and never put in the shared cache.
 */
const CREDENTIAL_PARAMS = new Set([
  "access_token", "api-key", "api-token", "apikey", "api_key", "api_token", "auth", "authorization",
  "client_assertion", "client_secret", "code", "credential", "credentials", "id_token", "jwt", "key",
  "password", "passwd", "private_key", "pwd", "refresh_token", "samlresponse", "secret", "session_id",
  "session_token", "sessionid", "sig", "signature", "sso_token", "ticket", "token",
]);
const CREDENTIAL_PREFIXES = ["x-amz-", "x-goog-"];

export function hasCredentialMaterial(input: string): boolean {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return true; // unknown shape: treat as sensitive
  }
  if (url.username || url.password) return true;
  const names = [...url.searchParams.keys()];
  // Fragments like `#access_token=…` (OAuth implicit flow) carry secrets too.
  if (url.hash.includes("=")) names.push(...new URLSearchParams(url.hash.slice(1)).keys());
  return names.some((raw) => {
    const name = raw.toLowerCase();
    return CREDENTIAL_PARAMS.has(name) || CREDENTIAL_PREFIXES.some((p) => name.startsWith(p));
  });
}
