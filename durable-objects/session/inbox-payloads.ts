import type { TurnRequest } from "../../src/session-protocol/inbound.ts";
import type { InboxRow } from "./inbox-store.ts";

/**
 * Durable Object SQLite refuses a string, BLOB or row over 2 MB, and an API message may be up to
 * `api.maxBodyBytes` (8 MB). A request whose JSON is larger than this goes to R2; its inbox row keeps a stub
 * with the routing fields (channel, chat, dedupe key) and the object's key.
 */
export const INLINE_REQUEST_LIMIT = 256 * 1024;

interface Stashed {
  $r2?: string;
}

const MISSING_TEXT = "[This message was too large to keep inline and its stored copy is gone; ask the user to send it again.]";

const refOf = (request: TurnRequest): string | undefined => (request as TurnRequest & Stashed).$r2;

/** Moves large inbox requests to R2 and back; the R2 copy lives only while its row is waiting or running. */
export class InboxPayloads {
  constructor(
    private readonly bucket: R2Bucket,
    private readonly blobPrefix: () => string,
  ) {}

  /** What the inbox row should store: the request itself, or (over the limit) a stub naming its R2 copy. */
  async stash(request: TurnRequest): Promise<TurnRequest> {
    const json = JSON.stringify(request);
    if (json.length <= INLINE_REQUEST_LIMIT) return request;
    const key = `${this.blobPrefix()}/inbox/${crypto.randomUUID()}.json`;
    await this.bucket.put(key, json, { httpMetadata: { contentType: "application/json" } });
    // The stub keeps everything delivery and follow-up routing read; only the turn itself needs the rest.
    const { api: _api, ...rest } = request;
    return { ...rest, message: { ...request.message, text: "" }, $r2: key } as TurnRequest;
  }

  /** The row with its whole request (read back from R2 when the row holds a stub). */
  async load(row: InboxRow): Promise<InboxRow> {
    const key = refOf(row.request);
    if (!key) return row;
    const object = await this.bucket.get(key);
    if (!object) return { ...row, request: { ...row.request, message: { ...row.request.message, text: MISSING_TEXT } } };
    return { ...row, request: (await object.json()) as TurnRequest };
  }

  /** Deletes the R2 copy once its row is answered (or a duplicate made it unnecessary). */
  async drop(request: TurnRequest): Promise<void> {
    const key = refOf(request);
    if (key) await this.bucket.delete(key);
  }
}
