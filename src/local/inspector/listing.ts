import { type ArchiveStore, compileFilter, type ProcessingStatus } from "../../consumers";
import type { ArchiveSummary } from "../../consumers/archive-summaries";
import { CodedError } from "../../shared/errors";
import type { ConsumerDirectory } from "./consumer-states";
import type { Journal, RequestEntry } from "./journal";
import { acceptedRow, type DeliveryRow, eventRow, providerOfType, type RowContext, requestRow } from "./rows";

/** The states the list filters on. */
export const LIST_STATES = ["accepted", "rejected", "failed", "dead-lettered"] as const;
export type ListState = (typeof LIST_STATES)[number];

export interface DeliveryQuery {
  /** From the previous page's `next`. */
  cursor?: string;
  /** Default 50, at most 200. */
  limit?: number;
  /** Exact type or a `*` pattern. */
  type?: string;
  /** Exact source or a `*` pattern. */
  source?: string;
  provider?: string;
  state?: ListState;
  /** An event id, or a delivery id (GitHub's GUID, Slack's `event_id`). */
  id?: string;
}

export interface DeliveryPage {
  items: DeliveryRow[];
  /** Absent on the last page. */
  next?: string;
}

export interface ListingDeps {
  archive: ArchiveStore;
  journal: Journal;
  directory: ConsumerDirectory;
  /** Event ids in each consumer's dead-letter queue. */
  deadLetterIds: () => Map<string, Set<string>>;
  /** Idempotency records for a page's (consumer, event) pairs. */
  stored: (pairs: [string, string][]) => Promise<Map<string, ProcessingStatus>>;
  /** The consumer that writes the archive: accepted events it has not written yet come from memory. */
  archiveConsumer?: string;
}

/** A cursor this list did not write. */
export class InvalidDeliveryCursorError extends CodedError {
  constructor() {
    super("invalid_cursor", "The cursor was not written by this list");
  }
}

/** Where the next page starts: in the archive (a cursor; null: done) and in the ring (a seq; null: done). */
interface Cursor {
  a?: string | null;
  r?: number | null;
}

type Candidate =
  | { time: string; summary: ArchiveSummary }
  | { time: string; refused: RequestEntry }
  | { time: string; pending: RequestEntry };

/**
 * One page of the inspector's list, newest first: archived events (summaries from the archive's
 * indexes, never payloads), accepted events not archived yet (first page), and refused requests
 * from the journal's ring, merged by time. The opaque cursor holds the archive's cursor (DynamoDB's
 * `ExclusiveStartKey`) and the ring's position, so each page costs one bounded archive read.
 *
 * @example
 * const page = await listDeliveries(deps, { provider: "github", limit: 20 });
 * const next = await listDeliveries(deps, { provider: "github", limit: 20, cursor: page.next });
 */
export async function listDeliveries(deps: ListingDeps, query: DeliveryQuery): Promise<DeliveryPage> {
  const limit = Math.min(Math.max(1, Math.trunc(query.limit ?? 50)), 200);
  const keep = eventFilter(query);
  const context: RowContext = {
    journal: deps.journal,
    directory: deps.directory,
    deadLetters: deps.deadLetterIds(),
  };
  if (query.id) return { items: await withStored(deps, context, await findById(deps, context, query.id)) };
  if (query.state === "dead-lettered")
    return { items: await withStored(deps, context, await deadLettered(deps, context, keep)) };
  const cursor = decodeCursor(query.cursor);
  const wantsEvents = query.state === undefined || query.state === "accepted";
  const wantsRing =
    (query.state === undefined || query.state === "rejected" || query.state === "failed") &&
    !query.type &&
    !query.source;
  const archivePage =
    wantsEvents && cursor.a !== null
      ? await deps.archive.listSummaries({
          type: query.type,
          source: query.source,
          where: query.provider ? (s) => providerOfType(s.type) === query.provider : undefined,
          cursor: cursor.a,
          limit,
        })
      : { items: [] };
  const ringStart = cursor.r === undefined ? deps.journal.lastSeq + 1 : cursor.r;
  const ring = wantsRing && ringStart !== null ? ringEntries(deps.journal, ringStart, query, limit) : [];
  const archived = new Set(archivePage.items.map((s) => s.id));
  const pending =
    wantsEvents && !query.cursor ? pendingEntries(deps, keep).filter((e) => !archived.has(e.eventId!)) : [];
  const candidates: Candidate[] = [
    ...archivePage.items.map((summary) => ({ time: summary.receivedat, summary })),
    ...ring.map((refused) => ({ time: new Date(refused.receivedAt).toISOString(), refused })),
    ...pending.map((p) => ({ time: new Date(p.receivedAt).toISOString(), pending: p })),
  ].sort((x, y) => (x.time < y.time ? 1 : x.time > y.time ? -1 : 0));
  const taken = candidates.slice(0, limit);
  const next = nextCursor(taken, archivePage, ring, limit, {
    a: wantsEvents ? cursor.a : null,
    r: wantsRing ? ringStart : null,
  });
  const rows = taken.map((c) =>
    "summary" in c
      ? eventRow(c.summary, context)
      : "refused" in c
        ? requestRow(c.refused)
        : acceptedRow(c.pending, context),
  );
  return { items: await withStored(deps, context, rows), next };
}

function eventFilter(query: DeliveryQuery): (event: { type: string; source: string }) => boolean {
  const matches = compileFilter("inspector-list", {
    types: query.type ? [query.type] : undefined,
    sources: query.source ? [query.source] : undefined,
  });
  return (event) => matches(event) && (!query.provider || providerOfType(event.type) === query.provider);
}

function ringEntries(journal: Journal, before: number, query: DeliveryQuery, limit: number): RequestEntry[] {
  return journal
    .refused(before)
    .filter(
      (e) => (!query.state || e.state === query.state) && (!query.provider || e.provider === query.provider),
    )
    .slice(0, limit);
}

/** Accepted events this process saw that the archive consumer has not written yet. */
function pendingEntries(
  deps: ListingDeps,
  keep: (e: { type: string; source: string }) => boolean,
): RequestEntry[] {
  return deps.journal.acceptedEntries().filter((entry) => {
    const written = deps.archiveConsumer && deps.journal.runsOf(entry.eventId!).get(deps.archiveConsumer);
    return (
      !(written && (written.last === "processed" || written.last === "duplicate")) && keep(entry.attributes!)
    );
  });
}

function nextCursor(
  taken: Candidate[],
  archivePage: { items: ArchiveSummary[]; next?: string },
  ring: RequestEntry[],
  limit: number,
  start: Cursor,
): string | undefined {
  const archiveTaken = taken.filter((c) => "summary" in c) as { summary: ArchiveSummary }[];
  const ringTaken = taken.filter((c) => "refused" in c) as { refused: RequestEntry }[];
  let a = start.a;
  if (a !== null) {
    if (archiveTaken.length === archivePage.items.length) a = archivePage.next ?? null;
    else if (archiveTaken.length > 0) a = archiveTaken.at(-1)!.summary.cursor;
  }
  let r = start.r;
  if (r !== null && r !== undefined) {
    if (ringTaken.length === ring.length && ring.length < limit) r = null;
    else if (ringTaken.length > 0) r = ringTaken.at(-1)!.refused.seq;
  }
  if (a === null && r === null) return undefined;
  return Buffer.from(JSON.stringify({ a, r })).toString("base64url");
}

function decodeCursor(cursor: string | undefined): Cursor {
  if (!cursor) return {};
  try {
    const decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Cursor;
    if (typeof decoded !== "object" || decoded === null) throw new InvalidDeliveryCursorError();
    return decoded;
  } catch {
    throw new InvalidDeliveryCursorError();
  }
}

/** Rows for an event id or a delivery id: the event (archive or memory) and any request that named it. */
async function findById(deps: ListingDeps, context: RowContext, id: string): Promise<DeliveryRow[]> {
  const ids = id.includes(":") ? [id] : [id, `github:${id}`, `slack:${id}`];
  const rows: DeliveryRow[] = [];
  for (const candidate of ids) {
    const entry = deps.journal.acceptedEntry(candidate);
    const archived = entry ? undefined : await deps.archive.getEvent(candidate);
    if (entry) rows.push(acceptedRow(entry, context));
    else if (archived) rows.push(eventRow(archived, context));
  }
  const requests = deps.journal.refused().filter((e) => ids.includes(e.eventId ?? "") || e.deliveryId === id);
  return [...rows, ...requests.map(requestRow)];
}

/** Rows for every event in a dead-letter queue, newest first. */
async function deadLettered(
  deps: ListingDeps,
  context: RowContext,
  keep: (e: { type: string; source: string }) => boolean,
): Promise<DeliveryRow[]> {
  const ids = new Set([...context.deadLetters.values()].flatMap((set) => [...set]));
  const rows: DeliveryRow[] = [];
  for (const id of [...ids].slice(0, 500)) {
    const entry = deps.journal.acceptedEntry(id);
    const archived = entry ? undefined : await deps.archive.getEvent(id);
    const row = entry ? acceptedRow(entry, context) : archived ? eventRow(archived, context) : undefined;
    if (row && keep({ type: row.type!, source: row.source! })) rows.push(row);
  }
  return rows.sort((x, y) => (x.time < y.time ? 1 : x.time > y.time ? -1 : 0));
}

/** Fills in, for consumers this process has not seen run, the state their idempotency record holds. */
async function withStored(
  deps: ListingDeps,
  context: RowContext,
  rows: DeliveryRow[],
): Promise<DeliveryRow[]> {
  const pairs: [string, string][] = rows.flatMap((row) =>
    row.consumers
      .filter((c) => c.state === "pending" || c.state === "off")
      .map((c): [string, string] => [c.name, row.key]),
  );
  if (pairs.length === 0) return rows;
  const stored = await deps.stored(pairs);
  const refreshed = { ...context, stored };
  return rows.map((row) => (row.kind === "event" && row.type ? rebuild(row, refreshed) : row));
}

function rebuild(row: DeliveryRow, context: RowContext): DeliveryRow {
  const again = eventRow(
    { id: row.key, type: row.type!, source: row.source!, subject: row.subject, receivedat: row.time },
    context,
  );
  return { ...again, time: row.time, status: row.status };
}
