import { estimateMessageTokens } from "../../src/agent/token-estimate.ts";
import type { ChatMessage } from "../../src/providers/types.ts";
import { type HistoryRow, selectHistoryWindow } from "./history-window.ts";
import type { MetaStore } from "./meta-store.ts";

/** DO SQLite rows are limited to 2 MB; bodies above this go to R2 and the row keeps a pointer. */
const INLINE_BODY_LIMIT = 128 * 1024;
const PAGE = 256;

interface Offloaded {
  $r2: string;
}

/** Append-only message log of one session: one row per message. */
export class MessageStore {
  constructor(
    private readonly sql: SqlStorage,
    private readonly meta: MetaStore,
    private readonly bucket: R2Bucket,
    private readonly blobPrefix: () => string,
  ) {}

  async append(message: ChatMessage, turnId: number | null): Promise<number> {
    let body = JSON.stringify(message);
    const tokens = estimateMessageTokens(message);
    const now = Date.now();
    const id = this.sql
      .exec("INSERT INTO messages (turn_id, role, body, tokens, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id", turnId, message.role, "{}", tokens, now)
      .one().id as number;
    if (body.length > INLINE_BODY_LIMIT) {
      const key = `${this.blobPrefix()}/messages/${id}.json`;
      await this.bucket.put(key, body);
      body = JSON.stringify({ $r2: key } satisfies Offloaded);
    }
    this.sql.exec("UPDATE messages SET body = ? WHERE id = ?", body, id);
    return id;
  }

  /** Messages with ids above this belong to the live conversation (after /new and consolidation). */
  private floor(): number {
    return Math.max(this.meta.get<number>("cleared_through") ?? 0, this.meta.get<number>("consolidated_through") ?? 0);
  }

  /** The replay window: newest messages within `budgetTokens`, read page by page from the end. */
  async window(budgetTokens: number): Promise<ChatMessage[]> {
    const floor = this.floor();
    const rows: HistoryRow[] = [];
    let before = Number.MAX_SAFE_INTEGER;
    let used = 0;
    while (used <= budgetTokens) {
      const page = this.sql
        .exec("SELECT id, body, tokens FROM messages WHERE id > ? AND id < ? ORDER BY id DESC LIMIT ?", floor, before, PAGE)
        .toArray();
      if (!page.length) break;
      for (const r of page) {
        rows.push({ id: r.id as number, message: await this.decode(r.body as string), tokens: r.tokens as number });
        used += r.tokens as number;
        if (used > budgetTokens) break;
      }
      before = page[page.length - 1].id as number;
      if (page.length < PAGE) break;
    }
    return selectHistoryWindow(rows, budgetTokens);
  }

  /** Whether this turn already logged its user message (a resumed turn must not add it twice). */
  hasTurn(turnId: number): boolean {
    return this.sql.exec("SELECT 1 FROM messages WHERE turn_id = ? LIMIT 1", turnId).toArray().length > 0;
  }

  /** Last `n` user/assistant texts of the live conversation, oldest first. */
  async recent(n: number): Promise<ChatMessage[]> {
    const rows = this.sql
      .exec("SELECT body FROM messages WHERE id > ? AND role IN ('user', 'assistant') ORDER BY id DESC LIMIT ?", this.floor(), n * 3)
      .toArray();
    const out: ChatMessage[] = [];
    for (const r of rows) {
      const m = await this.decode(r.body as string);
      if (m.role === "assistant" && !m.content) continue;
      out.push(m);
      if (out.length >= n) break;
    }
    return out.reverse();
  }

  stats(): { messages: number; tokens: number; total: number } {
    const live = this.sql.exec("SELECT COUNT(*) AS n, COALESCE(SUM(tokens), 0) AS t FROM messages WHERE id > ?", this.floor()).one();
    const total = this.sql.exec("SELECT COUNT(*) AS n FROM messages").one();
    return { messages: live.n as number, tokens: live.t as number, total: total.n as number };
  }

  /** Token estimate of the whole live conversation, summed in SQLite (no row objects: this runs every turn). */
  liveTokens(): number {
    return this.sql.exec("SELECT COALESCE(SUM(tokens), 0) AS t FROM messages WHERE id > ?", this.floor()).one().t as number;
  }

  /** Id, role and token estimate of every live message, oldest first (no bodies: cheap even for long sessions). */
  liveRows(): Array<{ id: number; role: string; tokens: number; createdAt: number }> {
    return this.sql
      .exec("SELECT id, role, tokens, created_at FROM messages WHERE id > ? ORDER BY id", this.floor())
      .toArray()
      .map((r) => ({ id: r.id as number, role: r.role as string, tokens: r.tokens as number, createdAt: r.created_at as number }));
  }

  /** Messages with ids in (afterId, throughId], oldest first. */
  async range(afterId: number, throughId: number): Promise<Array<{ id: number; createdAt: number; message: ChatMessage }>> {
    const rows = this.sql.exec("SELECT id, body, created_at FROM messages WHERE id > ? AND id <= ? ORDER BY id", afterId, throughId).toArray();
    const out = [];
    for (const r of rows) out.push({ id: r.id as number, createdAt: r.created_at as number, message: await this.decode(r.body as string) });
    return out;
  }

  /** Id of the newest message (0 for none): where a turn's part of the log ends. */
  lastId(): number {
    return this.sql.exec("SELECT COALESCE(MAX(id), 0) AS id FROM messages").one().id as number;
  }

  /** First live id (exclusive lower bound of the live conversation). */
  liveFloor(): number {
    return this.floor();
  }

  /** Messages up to `id` are summarised in history.jsonl and no longer replayed. */
  markConsolidated(id: number): void {
    if (id > (this.meta.get<number>("consolidated_through") ?? 0)) this.meta.set("consolidated_through", id);
  }

  /** `/new`: later turns start from an empty window; old rows stay for the record (and for consolidation). */
  startFresh(): void {
    const max = this.sql.exec("SELECT COALESCE(MAX(id), 0) AS id FROM messages").one().id as number;
    this.meta.set("cleared_through", max);
  }

  private async decode(body: string): Promise<ChatMessage> {
    const parsed = JSON.parse(body) as ChatMessage | Offloaded;
    if ("$r2" in parsed) {
      const obj = await this.bucket.get(parsed.$r2);
      if (!obj) return { role: "assistant", content: "[message body lost from storage]" };
      return JSON.parse(await obj.text()) as ChatMessage;
    }
    return parsed;
  }
}
