import { CommandError, UsageError } from "../errors";

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A point in time from a duration back from `now` (`90m`, `24h`, `3d`) or an ISO 8601 timestamp.
 *
 * @example
 * parseSince("24h", Date.parse("2026-01-02T00:00:00Z")) // Date.parse("2026-01-01T00:00:00Z")
 */
export function parseSince(value: string, now: number): number {
  const match = /^(\d+)([smhd])$/.exec(value.trim());
  if (match) return now - Number(match[1]) * UNITS[match[2]!]!;
  const time = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time))
    throw new UsageError(`expected a duration like 24h, 90m or 3d, or an ISO timestamp, got "${value}"`);
  return time;
}

/**
 * A length of time in milliseconds: `300s`, `5m`, `1h`, or a number of seconds (`0` for none).
 *
 * @example
 * parseDuration("5m") // 300000
 * parseDuration("90") // 90000
 */
export function parseDuration(value: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(value.trim());
  if (!match)
    throw new CommandError("invalid_duration", `expected a duration like 300s, 5m or 1h, got "${value}"`);
  return Number(match[1]) * (match[2] ? UNITS[match[2]]! : 1000);
}
