/** HTTP calls of the page, all behind the API key (kept in localStorage; it never goes into a URL). */
const KEY = "nanobot.apiKey";
const CLIENT = "nanobot.clientId";

export const apiKey = () => localStorage.getItem(KEY) ?? "";
export const setApiKey = (key: string | null) => (key ? localStorage.setItem(KEY, key) : localStorage.removeItem(KEY));

export function clientId(): string {
  let id = localStorage.getItem(CLIENT);
  if (!id) {
    id = `web-${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`;
    localStorage.setItem(CLIENT, id);
  }
  return id;
}

export class AuthError extends Error {}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(path, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${apiKey()}` } });
  if (res.status === 401 || res.status === 403) throw new AuthError(await errorText(res));
  if (!res.ok) throw new Error(await errorText(res));
  return (await res.json()) as T;
}

async function errorText(res: Response): Promise<string> {
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  return body?.error?.message ?? `${res.status} ${res.statusText}`;
}

export interface MediaRef {
  key: string;
  mimeType: string;
  name?: string;
}

export const uploadFile = (file: File) => {
  const form = new FormData();
  form.append("file", file);
  return api<MediaRef>(`/webui/upload?client_id=${clientId()}`, { method: "POST", body: form });
};

/** A single-use connect token and the socket's path (`channels.websocket.path`). */
export const fetchToken = () => api<{ token: string; ws_path: string }>(`/webui/token?client_id=${clientId()}`);

/** Preset names for the switcher: "default" plus every configured preset (the first model id is the default model). */
export const fetchPresets = () => api<{ data: Array<{ id: string }> }>("/v1/models").then((r) => ["default", ...r.data.slice(1).map((m) => m.id)]);
