import type { ProcessingStatus } from "../../consumers";
import type { ArchiveSummary } from "../../consumers/archive-summaries";
import { type ConsumerDirectory, type ConsumerSummary, consumerSummary, pairKey } from "./consumer-states";
import type { EdgeState, Journal, RequestEntry } from "./journal";

/** One line of the inspector's list: an event (accepted) or a request the edge refused or answered. */
export interface DeliveryRow {
  /** The event id, or `request:<seq>` for a request that carried no event. */
  key: string;
  kind: "event" | "request";
  /** When the edge received it (ISO 8601). */
  time: string;
  provider?: string;
  type?: string;
  /** The event id, or the delivery id a refused request named. */
  id?: string;
  source?: string;
  subject?: string;
  /** The HTTP status the edge answered (when this process saw the request). */
  status?: number;
  state: EdgeState;
  reason?: string;
  consumers: ConsumerSummary[];
}

/** What rows are built from besides their own data. */
export interface RowContext {
  journal: Journal;
  directory: ConsumerDirectory;
  /** Event ids in each consumer's dead-letter queue. */
  deadLetters: ReadonlyMap<string, ReadonlySet<string>>;
  /** Idempotency records of the page's (consumer, event) pairs ({@link pairKey}). */
  stored?: ReadonlyMap<string, ProcessingStatus>;
}

/** The provider an event type belongs to (`com.github.push` → `github`). */
export function providerOfType(type: string): string | undefined {
  return /^com\.([a-z0-9]+)\./.exec(type)?.[1];
}

/** The answer the edge gives an accepted event of a provider (GitHub 202, Slack 200). */
export function acceptedStatus(provider: string | undefined): number | undefined {
  return provider === "github" ? 202 : provider === "slack" ? 200 : undefined;
}

/**
 * A row for an event, from its archive summary or the journal's accepted entry (newer than the
 * archive, or not archived yet), with each matching consumer's compact state.
 *
 * @example
 * eventRow({ id, type, source, receivedat }, context).consumers // [{ name: "archive", state: "processed", … }]
 */
export function eventRow(
  event: Pick<ArchiveSummary, "id" | "type" | "source" | "subject" | "receivedat">,
  context: RowContext,
): DeliveryRow {
  const entry = context.journal.acceptedEntry(event.id);
  const provider = entry?.provider ?? providerOfType(event.type);
  const runs = context.journal.runsOf(event.id);
  return {
    key: event.id,
    kind: "event",
    time: entry ? new Date(entry.receivedAt).toISOString() : event.receivedat,
    provider,
    type: event.type,
    id: event.id,
    source: event.source,
    subject: event.subject,
    status: entry?.status ?? acceptedStatus(provider),
    state: "accepted",
    consumers: context.directory
      .matching(event)
      .map((name) =>
        consumerSummary(
          name,
          runs.get(name),
          context.stored?.get(pairKey(name, event.id)),
          context.deadLetters.get(name)?.has(event.id) ?? false,
          context.directory.running(name),
        ),
      ),
  };
}

/** A row for an accepted journal entry (not archived yet, or just updated). */
export function acceptedRow(entry: RequestEntry, context: RowContext): DeliveryRow {
  const a = entry.attributes!;
  return eventRow(
    { id: a.id, type: a.type, source: a.source, subject: a.subject, receivedat: a.receivedat },
    context,
  );
}

/** A row for a request the edge refused or answered without an event. */
export function requestRow(entry: RequestEntry): DeliveryRow {
  return {
    key: `request:${entry.seq}`,
    kind: "request",
    time: new Date(entry.receivedAt).toISOString(),
    provider: entry.provider,
    id: entry.eventId ?? entry.deliveryId,
    status: entry.status,
    state: entry.state,
    reason: entry.reason,
    consumers: [],
  };
}
