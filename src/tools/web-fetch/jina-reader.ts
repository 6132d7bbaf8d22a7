/** Jina Reader (`r.jina.ai/<url>`): a hosted renderer that handles JS-heavy pages. Null on any failure. */
export async function readWithJina(targetUrl: string, options: { baseUrl: string; apiKey: string; signal: AbortSignal }): Promise<string | null> {
  const target = new URL(targetUrl);
  target.hash = "";
  const headers: Record<string, string> = { accept: "text/plain", "x-return-format": "markdown" };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  try {
    const res = await fetch(`${options.baseUrl.replace(/\/+$/, "")}/${target.href}`, { headers, signal: options.signal });
    if (!res.ok) {
      await res.body?.cancel();
      console.log(JSON.stringify({ event: "web_fetch_jina_fallback", status: res.status }));
      return null;
    }
    const text = await res.text();
    return text.trim() ? text : null;
  } catch (err) {
    console.log(JSON.stringify({ event: "web_fetch_jina_fallback", error: (err as Error).message }));
    return null;
  }
}
