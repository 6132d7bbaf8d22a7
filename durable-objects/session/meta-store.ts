/** Small key/value settings of one session (model preset, counters, workspace id, …). */
export class MetaStore {
  constructor(private readonly sql: SqlStorage) {}

  get<T>(key: string): T | undefined {
    const row = this.sql.exec("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
    return row ? (JSON.parse(row.value as string) as T) : undefined;
  }

  set(key: string, value: unknown): void {
    if (value === undefined || value === null) {
      this.sql.exec("DELETE FROM meta WHERE key = ?", key);
      return;
    }
    this.sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, JSON.stringify(value));
  }

  add(key: string, delta: number): number {
    const next = (this.get<number>(key) ?? 0) + delta;
    this.set(key, next);
    return next;
  }
}
