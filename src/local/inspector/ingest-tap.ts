import { AsyncLocalStorage } from "node:async_hooks";
import type { LambdaFunctionURLEvent } from "aws-lambda";
import type { Outcome } from "../../edge/gateway";
import type { IngestHandler } from "../../edge/ingest-handler";
import type { Journal, RequestEntry } from "./journal";

interface Slot {
  event: LambdaFunctionURLEvent;
  entry?: RequestEntry;
}

/**
 * Joins the edge's outcomes (`onOutcome` of `createIngestHandler`, which knows nothing of the
 * request) to the function URL events they came from, so the journal keeps each request's headers,
 * body and answered status. `wrap` goes around the ingest handler; `outcome` is its `onOutcome`.
 *
 * @example
 * const tap = createIngestTap(journal);
 * const ingest = createLocalIngest({ …, onOutcome: (o) => tap.outcome(o) });
 * const handler = tap.wrap(ingest.handler);
 */
export function createIngestTap(journal: Journal, now: () => number = Date.now) {
  const slots = new AsyncLocalStorage<Slot>();
  return {
    wrap(handler: IngestHandler): IngestHandler {
      return async (event, context) => {
        const slot: Slot = { event };
        const result = await slots.run(slot, () => handler(event, context));
        if (slot.entry) {
          const status = typeof result === "string" ? 200 : (result.statusCode ?? 200);
          journal.recordAnswer(slot.entry, status);
        }
        return result;
      };
    },
    outcome(outcome: Outcome): void {
      const slot = slots.getStore();
      const entry = journal.recordEdge(outcome, slot?.event, now());
      if (slot) slot.entry = entry;
    },
  };
}
