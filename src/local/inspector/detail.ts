import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { type ArchiveStore, type ProcessingState, processingState } from "../../consumers";
import type { ConsumerDirectory, ConsumerSummary } from "./consumer-states";
import type { CapturedRequest, ConsumerRun, Journal, RequestEntry } from "./journal";
import { acceptedRow, type DeliveryRow, eventRow, type RowContext, requestRow } from "./rows";

/** One consumer's part in an event, in full. */
export interface ConsumerDetail extends ConsumerSummary {
  lastError?: ConsumerRun["lastError"];
  processedAt?: string;
  lastAt?: string;
  /** The idempotency record (durable, outlives restarts). */
  record: ProcessingState;
}

export interface DeliveryDetail {
  row: DeliveryRow;
  /** The request as it arrived, signatures masked (absent when this process did not see it). */
  request?: Omit<CapturedRequest, "body" | "bodyEncoding"> & { bodyBytes: number; bodyPreview?: string };
  /** The CloudEvent's attributes (everything but `data`). */
  attributes?: Record<string, unknown>;
  data?: unknown;
  /** The archive kept the envelope only (the payload is in the claim check, `dataref`). */
  truncated?: boolean;
  consumers: ConsumerDetail[];
  /** Received and queued (the latest request), then each consumer's latest outcome and when. */
  timings: {
    received?: string;
    queued?: string;
    consumers: Record<string, { state: ConsumerRun["last"]; at: string }>;
  };
}

export interface DetailDeps {
  archive: ArchiveStore;
  journal: Journal;
  directory: ConsumerDirectory;
  deadLetterIds: () => Map<string, Set<string>>;
  ddb: DynamoDBClient;
  idempotencyTable: string;
  /** The consumer that writes the archive: it keeps no idempotency record, its archived item is its record. */
  archiveConsumer?: string;
}

const SECRET_HEADERS = new Set([
  "x-hub-signature-256",
  "x-hub-signature",
  "x-slack-signature",
  "authorization",
  "proxy-authorization",
  "cookie",
]);

/**
 * Headers safe to show: signature values and credentials replaced, keeping only the scheme
 * (`sha256=`, `v0=`), so the page shows that a signature came without showing it.
 *
 * @example
 * maskHeaders({ "x-hub-signature-256": "sha256=ab12…" }) // { "x-hub-signature-256": "sha256=•••• (masked)" }
 */
export function maskHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => {
      if (!SECRET_HEADERS.has(name.toLowerCase())) return [name, value];
      const scheme = /^([a-z0-9]+=)/i.exec(value)?.[1] ?? "";
      return [name, `${scheme}•••• (masked)`];
    }),
  );
}

/**
 * Everything about one delivery: for an event, its payload and attributes (archive, or memory when
 * not archived yet), the request's headers (masked), each matching consumer's state with attempts,
 * the last error and its idempotency record, and the timings received → queued → processed; for a
 * refused request (`request:<seq>`), its status, reason and headers.
 *
 * @example
 * const detail = await deliveryDetail(deps, "github:72d3162e-cc78-11e3-81ab-4c9367dc0958");
 * detail?.consumers.map((c) => c.state) // ["processed", "failed"]
 */
export async function deliveryDetail(deps: DetailDeps, key: string): Promise<DeliveryDetail | undefined> {
  const context: RowContext = {
    journal: deps.journal,
    directory: deps.directory,
    deadLetters: deps.deadLetterIds(),
  };
  const seq = /^request:(\d+)$/.exec(key)?.[1];
  if (seq) {
    const entry = deps.journal.refusedEntry(Number(seq));
    return (
      entry && {
        row: requestRow(entry),
        request: requestView(entry, true),
        consumers: [],
        timings: timings(entry, new Map()),
      }
    );
  }
  const entry = deps.journal.acceptedEntry(key);
  const archived = await deps.archive.getEvent(key);
  if (!entry && !archived) return undefined;
  const row = archived ? eventRow(archived, context) : acceptedRow(entry!, context);
  const { data, ...attributes } = (archived?.event ?? { ...entry!.attributes }) as Record<string, unknown>;
  const payload = archived ? data : entry?.dataJson === undefined ? undefined : JSON.parse(entry.dataJson);
  const runs = deps.journal.runsOf(key);
  const consumers = await Promise.all(
    row.consumers.map(async (summary): Promise<ConsumerDetail> => {
      const run = runs.get(summary.name);
      const record =
        summary.name === deps.archiveConsumer && archived
          ? archivedState(summary.name, key, archived)
          : await processingState(deps.ddb, deps.idempotencyTable, summary.name, key);
      return {
        ...summary,
        lastError: run?.lastError,
        processedAt: iso(run?.processedAt),
        lastAt: iso(run?.lastAt),
        record,
      };
    }),
  );
  return {
    row: entry ? { ...row, status: entry.status ?? row.status } : row,
    request: entry && requestView(entry, false),
    attributes,
    data: payload,
    truncated: archived?.truncated,
    consumers,
    timings: { ...timings(entry, runs), received: iso(entry?.receivedAt) ?? archived?.receivedat },
  };
}

function requestView(entry: RequestEntry, preview: boolean): DeliveryDetail["request"] {
  if (!entry.request) return undefined;
  const { body, bodyEncoding: _encoding, ...rest } = entry.request;
  return {
    ...rest,
    headers: maskHeaders(rest.headers),
    bodyBytes: Buffer.byteLength(body, entry.request.bodyEncoding),
    bodyPreview: preview ? body.slice(0, 4096) : undefined,
  };
}

function timings(
  entry: RequestEntry | undefined,
  runs: ReadonlyMap<string, ConsumerRun>,
): DeliveryDetail["timings"] {
  const consumers: DeliveryDetail["timings"]["consumers"] = {};
  for (const [name, run] of runs)
    consumers[name] = { state: run.last, at: new Date(run.lastAt).toISOString() };
  return {
    received: iso(entry?.receivedAt),
    queued: entry?.state === "accepted" ? iso(entry.decidedAt) : undefined,
    consumers,
  };
}

function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/**
 * The archive's state of an event: the archive consumer's first-write-wins item is its idempotency
 * record (it keeps none in the idempotency table), so an archived event is COMPLETED for it.
 *
 * @example
 * archivedState("archive", "github:d-1", archived).status // "COMPLETED"
 */
export function archivedState(
  consumer: string,
  eventId: string,
  archived: { expiresat?: number },
): ProcessingState {
  const expiresAt =
    archived.expiresat === undefined ? undefined : new Date(archived.expiresat * 1000).toISOString();
  return { consumer, eventId, status: "COMPLETED", ...(expiresAt ? { expiresAt } : {}) };
}
