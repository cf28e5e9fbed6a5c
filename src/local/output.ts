import { relative } from "node:path";
import { describeFailure } from "../consumers/errors";
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
  switch (outcome.status) {
    case "queued":
      return `${time()} ← accepted ${provider} ${outcome.event.attributes.type} ${outcome.eventId} → ${
        outcome.unrouted ? "no consumer (unrouted)" : outcome.queues.join(", ")
      }${outcome.claimChecked ? " (claim check)" : ""}${outcome.joined ? " (a copy of the event being queued: queued once)" : ""}`;
    case "answered":
      return `${time()} ← answered ${provider} ${outcome.handshake}`;
    case "rejected":
      return `${time()} ✗ rejected ${provider} ${outcome.errorCode}`;
    case "failed":
      return `${time()} ✗ failed ${provider} ${outcome.errorCode}: ${(outcome.error as Error | undefined)?.message ?? ""}`;
  }
}

/**
 * One line per record a consumer finished; events outside its filter print nothing. A record that
 * waits for another copy in progress (it comes back within seconds) is a calm `…` line, not a failure.
 *
 * @example
 * recordLine(outcome) // "10:00:00.130   ✓ archive processed github:72d3… (12 ms)"
 */
export function recordLine(outcome: RecordOutcome): string | undefined {
  const id = outcome.eventId ?? `message ${outcome.messageId}`;
  switch (outcome.status) {
    case "processed":
      return `${time()}   ✓ ${outcome.consumer} processed ${id} (${Math.round(outcome.durationMs)} ms)`;
    case "duplicate":
      return `${time()}   = ${outcome.consumer} skipped duplicate ${id}`;
    case "failed":
      if (outcome.retryInSeconds !== undefined) {
        return `${time()}   … ${outcome.consumer} ${id} waiting for the copy in progress (back in ${outcome.retryInSeconds} s)`;
      }
      return `${time()}   ✗ ${outcome.consumer} failed ${id}: ${outcome.reason ?? "error"}${failureSuffix(outcome.error)}`;
    default:
      return undefined;
  }
}

/** ` (message) at listeners/github.ts:12:11`: the message, and where the user's code threw. */
function failureSuffix(error: unknown): string {
  if (!(error instanceof Error)) return "";
  const origin = describeFailure(error).origin;
  const at = origin ? ` at ${origin.startsWith("/") ? relative(process.cwd(), origin) : origin}` : "";
  return ` (${error.message})${at}`;
}
