import type { RecordOutcome } from "../consumers/types";
import type { Outcome } from "../edge/gateway";

const time = () => new Date().toISOString().slice(11, 23);

/**
 * One concise line per request at the edge.
 *
 * @example
 * edgeLine(outcome) // "10:00:00.120 ← 202 github com.github.push github:72d3… → archive, github"
 */
export function edgeLine(outcome: Outcome): string {
  const provider = outcome.provider ?? "-";
  const attributes = outcome.event?.attributes;
  switch (outcome.status) {
    case "queued":
      return `${time()} ← accepted ${provider} ${attributes?.type} ${outcome.eventId} → ${
        outcome.queues?.length ? outcome.queues.join(", ") : "no consumer (unrouted)"
      }${outcome.claimChecked ? " (claim check)" : ""}`;
    case "answered":
      return `${time()} ← answered ${provider} ${outcome.reason}`;
    case "rejected":
      return `${time()} ✗ rejected ${provider} ${outcome.reason}`;
    case "failed":
      return `${time()} ✗ failed ${provider} ${outcome.reason}: ${(outcome.error as Error | undefined)?.message ?? ""}`;
  }
}

/** One line per record a consumer finished; events outside its filter print nothing. */
export function recordLine(outcome: RecordOutcome): string | undefined {
  const id = outcome.eventId ?? `message ${outcome.messageId}`;
  switch (outcome.status) {
    case "processed":
      return `${time()}   ✓ ${outcome.consumer} processed ${id} (${Math.round(outcome.durationMs)} ms)`;
    case "duplicate":
      return `${time()}   = ${outcome.consumer} skipped duplicate ${id}`;
    case "failed":
      return `${time()}   ✗ ${outcome.consumer} failed ${id}: ${outcome.reason ?? "error"}${
        outcome.error instanceof Error ? ` (${outcome.error.message})` : ""
      }`;
    default:
      return undefined;
  }
}
