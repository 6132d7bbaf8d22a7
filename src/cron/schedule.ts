import { Cron } from "croner";

/** When a job runs: every N seconds, a cron expression in an IANA time zone, or once at an instant. */
export type CronSchedule =
  | { kind: "every"; everySeconds: number }
  | { kind: "cron"; expr: string; tz: string }
  | { kind: "at"; atMs: number };

export interface ScheduleInput {
  every_seconds?: number;
  cron_expr?: string;
  tz?: string;
  at?: string;
}

/** A schedule the user (or model) can fix: the message says what to change. */
export class ScheduleError extends Error {
  override name = "ScheduleError";
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Milliseconds to add to a UTC reading of a wall-clock time in `tz` to get the real instant. */
function zoneOffsetMs(tz: string, atMs: number): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: tz,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(atMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(atMs / 1000) * 1000;
}

/** ISO time; without an offset it is read as wall-clock time in `defaultTz` (nanobot's rule). */
export function parseAt(at: string, defaultTz: string): number {
  const text = at.trim();
  if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(text)) {
    throw new ScheduleError(`'at' must be an ISO date-time like 2026-05-01T09:00:00 (optionally with Z or +02:00), got '${at}'.`);
  }
  const normalized = text.replace(" ", "T");
  if (/(Z|[+-]\d{2}:?\d{2})$/i.test(normalized)) return Date.parse(normalized);
  const naiveUtc = Date.parse(`${normalized}Z`);
  // Two passes settle the offset even right after a DST change.
  let guess = naiveUtc - zoneOffsetMs(defaultTz, naiveUtc);
  guess = naiveUtc - zoneOffsetMs(defaultTz, guess);
  return guess;
}

/** Validates tool/CLI arguments into a schedule; exactly one of every_seconds, cron_expr, at. */
export function parseSchedule(input: ScheduleInput, defaultTz: string, now = Date.now()): CronSchedule {
  const given = [input.every_seconds !== undefined, input.cron_expr !== undefined, input.at !== undefined].filter(Boolean).length;
  if (input.tz !== undefined && input.cron_expr === undefined) {
    throw new ScheduleError("tz can only be used with cron_expr (for 'at', put the offset in the time; 'every_seconds' has no time zone).");
  }
  if (given === 0) throw new ScheduleError("give one of every_seconds, cron_expr or at.");
  if (given > 1) throw new ScheduleError("give only one of every_seconds, cron_expr or at.");
  if (input.every_seconds !== undefined) {
    if (!Number.isInteger(input.every_seconds) || input.every_seconds < 1) throw new ScheduleError("every_seconds must be a whole number ≥ 1.");
    return { kind: "every", everySeconds: input.every_seconds };
  }
  if (input.cron_expr !== undefined) {
    const tz = input.tz ?? defaultTz;
    if (!isValidTimeZone(tz)) throw new ScheduleError(`unknown time zone '${tz}'; use an IANA name like Europe/Berlin.`);
    const expr = input.cron_expr.trim();
    try {
      new Cron(expr, { timezone: tz, paused: true });
    } catch (err) {
      throw new ScheduleError(
        `invalid cron expression '${expr}': ${(err as Error).message}. Use 5 fields: minute hour day-of-month month day-of-week, e.g. '0 9 * * 1-5'.`,
      );
    }
    return { kind: "cron", expr, tz };
  }
  const atMs = parseAt(input.at!, defaultTz);
  if (Number.isNaN(atMs)) throw new ScheduleError(`'at' is not a valid date-time: '${input.at}'.`);
  if (atMs <= now) throw new ScheduleError(`'at' (${new Date(atMs).toISOString()}) is in the past.`);
  return { kind: "at", atMs };
}

/** The next run strictly after `afterMs`, or null when the job is done. */
export function nextRunAt(schedule: CronSchedule, afterMs: number): number | null {
  switch (schedule.kind) {
    case "every":
      return afterMs + schedule.everySeconds * 1000;
    case "at":
      return schedule.atMs > afterMs ? schedule.atMs : null;
    case "cron": {
      const next = new Cron(schedule.expr, { timezone: schedule.tz, paused: true }).nextRun(new Date(afterMs));
      return next ? next.getTime() : null;
    }
  }
}

function formatEvery(seconds: number): string {
  if (seconds % 3600 === 0) return `every ${seconds / 3600}h`;
  if (seconds % 60 === 0) return `every ${seconds / 60}m`;
  return `every ${seconds}s`;
}

export function describeSchedule(schedule: CronSchedule): string {
  switch (schedule.kind) {
    case "every":
      return formatEvery(schedule.everySeconds);
    case "cron":
      return `cron: ${schedule.expr} (${schedule.tz})`;
    case "at":
      return `at ${new Date(schedule.atMs).toISOString()}`;
  }
}
