/**
 * Small key/value settings of one session (model preset, counters, workspace id, …).
 * Values are also kept in memory: a turn reads meta ~15 times (session key, preset, goal, summaries, history
 * floor, counters) and every read was a SQL statement. All writes go through this class and the object is
 * single-threaded, so the copy cannot go stale; the raw JSON is cached so each get returns a fresh value.
 */
export class MetaStore {
  private readonly values = new Map<string, string | null>();

  constructor(private readonly sql: SqlStorage) {}

  get<T>(key: string): T | undefined {
    let raw = this.values.get(key);
    if (raw === undefined) {
      const row = this.sql.exec("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
      raw = row ? (row.value as string) : null;
      this.values.set(key, raw);
    }
    return raw === null ? undefined : (JSON.parse(raw) as T);
  }

  set(key: string, value: unknown): void {
    if (value === undefined || value === null) {
      this.values.delete(key);
      this.sql.exec("DELETE FROM meta WHERE key = ?", key);
      this.values.set(key, null);
      return;
    }
    const raw = JSON.stringify(value);
    this.values.delete(key);
    this.sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, raw);
    this.values.set(key, raw);
  }

  add(key: string, delta: number): number {
    const next = (this.get<number>(key) ?? 0) + delta;
    this.set(key, next);
    return next;
  }
}
