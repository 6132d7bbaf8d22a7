import { extractDocument, type DocumentKind, type ExtractedDocument } from "./read-document.ts";

// Paging through a document calls read_file again and again; parse it once per isolate and version (etag).
const MAX_CACHED = 4;
const cache = new Map<string, ExtractedDocument>();

export async function extractCached(key: string, bytes: Uint8Array, kind: DocumentKind): Promise<ExtractedDocument> {
  const hit = cache.get(key);
  if (hit) return hit;
  const doc = await extractDocument(bytes, kind);
  cache.set(key, doc);
  while (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
  return doc;
}
