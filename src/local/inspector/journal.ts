import type { LambdaFunctionURLEvent } from "aws-lambda";
import { fullStack } from "../../consumers/errors";
import type { RecordOutcome } from "../../consumers/types";
import type { EventAttributes, Provider } from "../../contract/event";
import type { Outcome } from "../../edge/gateway";

/** What the edge did with a request: queued (accepted), refused (4xx, 5xx), or answered itself. */
export type EdgeState = "accepted" | "rejected" | "failed" | "answered";

/** A request as it reached the function URL, kept to replay it, copy it or save it as a fixture. */
export interface CapturedRequest {
  method: string;
  path: string;
  /** Lower-case names, as the function URL gives them (signatures included: mask before showing). */
  headers: Record<string, string>;
  body: string;
  bodyEncoding: "utf8" | "base64";
  /** The body was dropped to stay within the journal's memory budget. */
  dropped?: boolean;
}

/** One request the edge answered. */
export interface RequestEntry {
  seq: number;
  receivedAt: number;
  /** When the edge's outcome came (for an accepted event: every queue had it). */
  decidedAt: number;
  state: EdgeState;
  /** The HTTP status the edge answered. */
  status?: number;
  /** The error code of a refusal, or the handshake of an answered request. */
  reason?: string;
  provider?: Provider;
  eventId?: string;
  /** `X-GitHub-Delivery` or Slack's `event_id`, even for a refused request. */
  deliveryId?: string;
  attributes?: EventAttributes;
  /** The event's payload JSON (accepted only; dropped first when memory runs short). */
  dataJson?: string;
  queues?: string[];
  request?: CapturedRequest;
}

/** How one consumer fared with one event, from the runtime's record outcomes. */
export interface ConsumerRun {
  consumer: string;
  last: RecordOutcome["status"];
  attempts: number;
  failures: number;
  duplicates: number;
  processedAt?: number;
  lastAt: number;
  lastError?: { name: string; message: string; stack?: string; at: number };
}

export interface JournalLimits {
  /** Refused and answered requests kept (ring buffer). */
  refused: number;
  /** Events whose edge entry and consumer runs are kept. */
  events: number;
  /** Bytes of request bodies and payloads kept; the oldest are dropped first. */
  bodyBytes: number;
}

export const DEFAULT_JOURNAL_LIMITS: JournalLimits = { refused: 1000, events: 10_000, bodyBytes: 64 << 20 };

type Change = { eventId?: string; seq?: number };

/**
 * The inspector's memory of what happened in this process: every request the edge answered (with
 * its headers and body, for replay), refused requests in a bounded ring (they are not events and
 * the archive never sees them), and per event the consumers' outcomes with timings, attempts and
 * the last error. Everything here is bounded and lost at restart; the archive and the idempotency
 * records are the durable side.
 *
 * @example
 * const journal = new Journal();
 * journal.subscribe((change) => console.log(change.eventId));
 * journal.recordEdge(outcome, functionUrlEvent, Date.now());
 */
export class Journal {
  private seq = 0;
  private readonly refusedRing: RequestEntry[] = [];
  private readonly accepted = new Map<string, RequestEntry>();
  private readonly runs = new Map<string, Map<string, ConsumerRun>>();
  private readonly bodies: RequestEntry[] = [];
  private bodyBytes = 0;
  private readonly listeners = new Set<(change: Change) => void>();

  constructor(private readonly limits: JournalLimits = DEFAULT_JOURNAL_LIMITS) {}

  /** The sequence number of the latest request. */
  get lastSeq(): number {
    return this.seq;
  }

  /** Records the edge's outcome for a request (`event`: the function URL event it came in). */
  recordEdge(outcome: Outcome, event: LambdaFunctionURLEvent | undefined, now: number): RequestEntry {
    const entry: RequestEntry = {
      seq: ++this.seq,
      receivedAt: event?.requestContext.timeEpoch ?? now,
      decidedAt: now,
      state: edgeState(outcome),
      provider: outcome.provider,
      request: event && capture(event),
      deliveryId: event && deliveryIdOf(event),
    };
    if (outcome.status === "queued") {
      Object.assign(entry, {
        eventId: outcome.eventId,
        attributes: outcome.event.attributes,
        dataJson: outcome.event.dataJson,
        queues: outcome.queues,
      });
      this.accepted.delete(outcome.eventId);
      this.accepted.set(outcome.eventId, entry);
      trim(this.accepted, this.limits.events);
    } else {
      entry.reason = outcome.status === "answered" ? outcome.handshake : outcome.errorCode;
      if (outcome.status === "answered") entry.eventId = outcome.eventId;
      this.refusedRing.push(entry);
      if (this.refusedRing.length > this.limits.refused) this.refusedRing.shift();
    }
    this.keepBody(entry);
    return entry;
  }

  /** Records the status the edge answered, once the handler returned. */
  recordAnswer(entry: RequestEntry, status: number): void {
    entry.status = status;
    this.emit(entry.eventId && entry.state === "accepted" ? { eventId: entry.eventId } : { seq: entry.seq });
  }

  /** Records how a consumer ended one record. */
  recordRun(outcome: RecordOutcome, now: number): void {
    if (!outcome.eventId) return;
    let byConsumer = this.runs.get(outcome.eventId);
    if (!byConsumer) {
      byConsumer = new Map();
      this.runs.set(outcome.eventId, byConsumer);
      trim(this.runs, this.limits.events);
    }
    const run = byConsumer.get(outcome.consumer) ?? newRun(outcome.consumer, now);
    applyOutcome(run, outcome, now);
    byConsumer.set(outcome.consumer, run);
    this.emit({ eventId: outcome.eventId });
  }

  /** The accepted request that carried an event, when still in memory. */
  acceptedEntry(eventId: string): RequestEntry | undefined {
    return this.accepted.get(eventId);
  }

  /** Accepted entries, newest first. */
  acceptedEntries(): RequestEntry[] {
    return [...this.accepted.values()].reverse();
  }

  /** Refused or answered requests older than `beforeSeq` (all when absent), newest first. */
  refused(beforeSeq?: number): RequestEntry[] {
    const older = this.refusedRing.filter((e) => beforeSeq === undefined || e.seq < beforeSeq);
    return older.reverse();
  }

  refusedEntry(seq: number): RequestEntry | undefined {
    return this.refusedRing.find((e) => e.seq === seq);
  }

  /** Each consumer's runs of an event. */
  runsOf(eventId: string): ReadonlyMap<string, ConsumerRun> {
    return this.runs.get(eventId) ?? new Map();
  }

  /** Calls `listener` on every change (an event's entry or runs, a refused request). */
  subscribe(listener: (change: Change) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells subscribers that something about an event changed outside the journal (a DLQ). */
  touch(change: Change): void {
    this.emit(change);
  }

  private emit(change: Change): void {
    for (const listener of this.listeners) listener(change);
  }

  /** Keeps bodies within the byte budget by dropping the oldest ones (the entries stay). */
  private keepBody(entry: RequestEntry): void {
    this.bodies.push(entry);
    this.bodyBytes += sizeOf(entry);
    while (this.bodyBytes > this.limits.bodyBytes && this.bodies.length > 1) {
      const oldest = this.bodies.shift()!;
      this.bodyBytes -= sizeOf(oldest);
      if (oldest.request)
        oldest.request = { ...oldest.request, body: "", bodyEncoding: "utf8", dropped: true };
      oldest.dataJson = undefined;
    }
  }
}

function edgeState(outcome: Outcome): EdgeState {
  if (outcome.status === "queued") return "accepted";
  return outcome.status;
}

function capture(event: LambdaFunctionURLEvent): CapturedRequest {
  return {
    method: event.requestContext.http.method,
    path: event.rawPath,
    headers: { ...event.headers } as Record<string, string>,
    body: event.body ?? "",
    bodyEncoding: event.isBase64Encoded ? "base64" : "utf8",
  };
}

function deliveryIdOf(event: LambdaFunctionURLEvent): string | undefined {
  const github = event.headers["x-github-delivery"];
  if (github) return github;
  const match = /"event_id"\s*:\s*"([^"]+)"/.exec(event.isBase64Encoded ? "" : (event.body ?? ""));
  return match?.[1];
}

function sizeOf(entry: RequestEntry): number {
  return (entry.request?.body.length ?? 0) + (entry.dataJson?.length ?? 0);
}

function newRun(consumer: string, now: number): ConsumerRun {
  return { consumer, last: "processed", attempts: 0, failures: 0, duplicates: 0, lastAt: now };
}

function applyOutcome(run: ConsumerRun, outcome: RecordOutcome, now: number): void {
  run.lastAt = now;
  if (outcome.status === "duplicate") {
    // The latest thing that happened: skipped, because an earlier attempt completed.
    run.duplicates++;
    run.last = "duplicate";
    return;
  }
  run.last = outcome.status;
  if (outcome.status === "filtered") return;
  run.attempts++;
  if (outcome.status === "processed") run.processedAt ??= now;
  if (outcome.status === "failed") {
    run.failures++;
    const error = outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error));
    run.lastError = { name: error.name, message: error.message, stack: fullStack(error), at: now };
  }
}

/** Drops the oldest keys of an insertion-ordered map beyond `max`. */
function trim<K, V>(map: Map<K, V>, max: number): void {
  while (map.size > max) map.delete(map.keys().next().value as K);
}
