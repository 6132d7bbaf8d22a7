/**
 * Every timer of a session is a row here; the Durable Object's single alarm is always set to the earliest
 * one. Alarms are at-least-once, so whatever runs from a row must be idempotent.
 */
export interface ScheduleRow {
  key: string;
  kind: string;
  dueAt: number;
  payload: Record<string, unknown>;
}

export class AlarmSchedule {
  constructor(
    private readonly sql: SqlStorage,
    private readonly storage: DurableObjectStorage,
  ) {}

  async set(key: string, kind: string, dueAt: number, payload: Record<string, unknown> = {}): Promise<void> {
    this.sql.exec(
      `INSERT INTO schedule (key, kind, due_at, payload) VALUES (?, ?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET kind = excluded.kind, due_at = excluded.due_at, payload = excluded.payload`,
      key,
      kind,
      dueAt,
      JSON.stringify(payload),
    );
    await this.arm();
  }

  async remove(key: string): Promise<void> {
    this.sql.exec("DELETE FROM schedule WHERE key = ?", key);
    await this.arm();
  }

  /** Removes and returns the rows that are due. */
  takeDue(now: number): ScheduleRow[] {
    const rows = this.sql
      .exec("SELECT key, kind, due_at, payload FROM schedule WHERE due_at <= ? ORDER BY due_at", now)
      .toArray()
      .map((r) => ({ key: r.key as string, kind: r.kind as string, dueAt: r.due_at as number, payload: JSON.parse(r.payload as string) }));
    for (const row of rows) this.sql.exec("DELETE FROM schedule WHERE key = ?", row.key);
    return rows;
  }

  list(kind?: string): ScheduleRow[] {
    const cursor = kind
      ? this.sql.exec("SELECT key, kind, due_at, payload FROM schedule WHERE kind = ? ORDER BY due_at", kind)
      : this.sql.exec("SELECT key, kind, due_at, payload FROM schedule ORDER BY due_at");
    return cursor.toArray().map((r) => ({ key: r.key as string, kind: r.kind as string, dueAt: r.due_at as number, payload: JSON.parse(r.payload as string) }));
  }

  async arm(): Promise<void> {
    const next = this.sql.exec("SELECT MIN(due_at) AS due FROM schedule").one().due as number | null;
    if (next === null) {
      await this.storage.deleteAlarm();
      return;
    }
    const current = await this.storage.getAlarm();
    if (current === null || current !== next) await this.storage.setAlarm(next);
  }
}
