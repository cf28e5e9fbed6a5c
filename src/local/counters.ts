import type { RecordOutcome } from "../consumers";
import type { Outcome } from "../edge/gateway";

/** The local runtime's counters, served by `GET /_/metrics`. */
export interface Counters {
  received: number;
  queued: number;
  /** Of `queued` and `unrouted`: copies that arrived while the same event was being queued, answered with that send. */
  joined: number;
  answered: number;
  unrouted: number;
  failed: number;
  rejected: Record<string, number>;
  consumers: Record<string, { processed: number; duplicate: number; filtered: number; failed: number }>;
}

export function createCounters(consumers: readonly string[]): Counters {
  return {
    received: 0,
    queued: 0,
    joined: 0,
    answered: 0,
    unrouted: 0,
    failed: 0,
    rejected: {},
    consumers: Object.fromEntries(
      consumers.map((name) => [name, { processed: 0, duplicate: 0, filtered: 0, failed: 0 }]),
    ),
  };
}

/** Counts one request at the edge. */
export function countEdge(counters: Counters, outcome: Outcome): void {
  counters.received++;
  if (outcome.status === "queued") {
    if (outcome.unrouted) counters.unrouted++;
    else counters.queued++;
    if (outcome.joined) counters.joined++;
  } else if (outcome.status === "answered") counters.answered++;
  else if (outcome.status === "failed") counters.failed++;
  else counters.rejected[outcome.errorCode] = (counters.rejected[outcome.errorCode] ?? 0) + 1;
}

/** Counts one record's end in a consumer. */
export function countRecord(counters: Counters, outcome: RecordOutcome): void {
  counters.consumers[outcome.consumer] ??= { processed: 0, duplicate: 0, filtered: 0, failed: 0 };
  counters.consumers[outcome.consumer]![outcome.status]++;
}
