import { randomBytes } from "node:crypto";

/**
 * The internal event: CloudEvents 1.0, structured JSON mode.
 *
 * The provider's payload travels unchanged in `data`. The edge writes the event by splicing the
 * payload's JSON text into the envelope instead of re-serializing it: the bytes downstream are the
 * bytes GitHub or Slack signed (modulo the escapes SQS needs), and the hot path pays for one
 * `JSON.parse` only.
 *
 * @see https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/formats/json-format.md
 */
export type Provider = "github" | "slack";

/** Envelope attributes: everything but `data`. Extension names are lower-case letters and digits. */
export interface EventAttributes {
  specversion: "1.0";
  id: string;
  source: string;
  type: string;
  subject?: string;
  time: string;
  datacontenttype: "application/json";
  provider: Provider;
  receivedat: string;
  /** Claim check: where the full event is stored when it is too large for a queue message. */
  dataref?: string;
  [extension: string]: string | number | undefined;
}

/** An event as consumers read it from a queue message (after any claim check is resolved). */
export type GatewayEvent<T = unknown> = EventAttributes & { data?: T };

/**
 * What a provider produces from a verified delivery: the envelope, the payload's JSON text
 * (spliced, never re-serialized), and the routing hints the queue adapter needs.
 */
export interface NormalizedEvent {
  attributes: EventAttributes;
  /** JSON text of the payload, exactly as received (a valid JSON value). */
  dataJson: string;
  /** `dataJson` is known to be pure ASCII (then it needs no SQS escape scan). */
  dataAscii?: boolean;
  /** FIFO message group: repository, organization or channel. */
  groupKey: string;
}

// SQS accepts #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF. Valid JSON text decoded
// from valid UTF-8 can still hold U+FFFE and U+FFFF inside strings, and characters beyond the BMP
// (emoji) are refused by some SQS implementations (fauxqs 1.x checks UTF-16 code units). Inside
// JSON strings they are written as \u escapes instead: the same value, plain ASCII on the wire.
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
const ESCAPED = /[\uD800-\uDFFF\uFFFE\uFFFF]/;
const ESCAPED_ALL = /[\uD800-\uDFFF\uFFFE\uFFFF]/g;

/**
 * Serializes the event as CloudEvents structured JSON with `data` spliced in verbatim (apart from
 * the escapes above).
 *
 * @example
 * serializeEvent({ attributes, dataJson: '{"zen":"Keep it logically awesome."}' })
 * // '{"specversion":"1.0",…,"data":{"zen":"Keep it logically awesome."}}'
 */
export function serializeEvent(
  event: Pick<NormalizedEvent, "attributes" | "dataJson" | "dataAscii">,
): string {
  const head = sqsSafe(JSON.stringify(event.attributes));
  const data = event.dataAscii ? event.dataJson : sqsSafe(event.dataJson);
  return `${head.slice(0, -1)},"data":${data}}`;
}

/** Escapes the characters above; they can only occur inside JSON strings, so the value is kept. */
export function sqsSafe(json: string): string {
  return ESCAPED.test(json) ? json.replace(ESCAPED_ALL, escapeUnit) : json;
}

function escapeUnit(unit: string): string {
  return `\\u${unit.charCodeAt(0).toString(16)}`;
}

/** The envelope without data, pointing at the stored event (CloudEvents `dataref` extension). */
export function serializeClaimCheck(attributes: EventAttributes, dataref: string): string {
  return sqsSafe(JSON.stringify({ ...attributes, dataref }));
}

/**
 * Extension that marks a deliberate reprocessing run (`archive replay --reprocess`, the local
 * inspector's *Reprocess*): its value, a run id of lower-case letters and digits
 * ({@link reprocessRunId}), is folded into each consumer's idempotency key, so the event runs once
 * more per run, and only once within the run.
 */
export const REPROCESS_EXTENSION = "reprocess";

/**
 * A new reprocessing run id: lower-case letters and digits (a CloudEvents extension value that
 * reads well in logs), time-ordered.
 *
 * @example
 * reprocessRunId() // "rmbx3k2a9f04c1"
 */
export function reprocessRunId(now = Date.now()): string {
  return `r${now.toString(36)}${randomBytes(3).toString("hex")}`;
}

/**
 * The id a consumer's idempotency is keyed on: the event id, scoped to the reprocessing run when
 * the event carries one.
 *
 * @example
 * idempotencyId({ id: "github:72d3…" })                      // "github:72d3…"
 * idempotencyId({ id: "github:72d3…", reprocess: "r1a2b3" }) // "github:72d3…#reprocess:r1a2b3"
 */
export function idempotencyId(event: Pick<EventAttributes, "id"> & Partial<EventAttributes>): string {
  const run = event[REPROCESS_EXTENSION];
  return typeof run === "string" && run.length > 0 ? `${event.id}#reprocess:${run}` : event.id;
}
