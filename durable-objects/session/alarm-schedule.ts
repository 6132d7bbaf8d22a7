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
  /**
   * The alarm time this instance last asked for (null: none), or undefined when unknown (new instance, or an
   * alarm just fired and the runtime clears it). A turn re-arms 3-4 times; each getAlarm/setAlarm round trip
   * was 0.5-2.4 ms of self time in the profile, and the answer is almost always what we set last.
   */
  private armed: number | null | undefined;

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
    // Called as an alarm runs: the runtime drops a fired alarm unless it is set again, so stop trusting `armed`.
    this.armed = undefined;
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
    if (next === this.armed) return;
    // Recorded before the await, so overlapping arm() calls leave `armed` at the last request, as storage does.
    this.armed = next;
    try {
      if (next === null) {
        await this.storage.deleteAlarm();
        return;
      }
      const current = await this.storage.getAlarm();
      if (current === null || current !== next) await this.storage.setAlarm(next);
    } catch (err) {
      this.armed = undefined;
      throw err;
    }
  }
}
