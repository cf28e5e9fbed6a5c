import { createHash } from "node:crypto";

/**
 * Limits and durations shared by the edge, the consumers, the stack and the local runtime.
 */

/**
 * Idempotency records live at least seven days (the default and the minimum): GitHub lets people
 * redeliver a delivery for days, and a redelivery keeps its id.
 */
export const IDEMPOTENCY_TTL_SECONDS = 7 * 24 * 60 * 60;
/** The longest idempotency expiry the configuration accepts (one year). */
export const MAX_IDEMPOTENCY_TTL_SECONDS = 365 * 24 * 60 * 60;

/**
 * Default time an archived event is kept: the archive writes `expiresat` (TTL) this far after it
 * received the event. Configurable (`archiveRetentionDays`, `ARCHIVE_RETENTION_DAYS`).
 */
export const ARCHIVE_RETENTION_DAYS = 30;
/** The longest archive retention the configuration accepts (ten years). */
export const MAX_ARCHIVE_RETENTION_DAYS = 3650;

/** Key prefix of claim checks in the bucket; the stack's lifecycle rule and IAM grants use it. */
export const CLAIM_CHECK_PREFIX = "events/";
/** Default lifetime of a claim check: longer than any queue or DLQ can hold its message. */
export const CLAIM_CHECK_EXPIRATION_DAYS = 14;

/**
 * The object key of an event's claim check: derived from its id, so a redelivery overwrites the
 * same object.
 *
 * @example
 * claimCheckKey("github:72d3…") // "events/5d1e….json"
 */
export function claimCheckKey(eventId: string): string {
  return `${CLAIM_CHECK_PREFIX}${createHash("sha256").update(eventId).digest("hex")}.json`;
}

/** SQS's largest message (1 MiB), set explicitly on every queue. */
export const SQS_MAX_MESSAGE_BYTES = 1_048_576;
/** The limit counts the body and the attributes: the edge keeps 16 KiB for the latter. */
export const MAX_QUEUED_BODY_BYTES = SQS_MAX_MESSAGE_BYTES - 16_384;
/** The longest SQS retention (14 days); no message can be older. */
export const SQS_MAX_RETENTION_SECONDS = 14 * 24 * 60 * 60;
/** The SQS maximum: time to notice, fix and redrive. */
export const DLQ_RETENTION_SECONDS = SQS_MAX_RETENTION_SECONDS;
/** Function URL request limit (6 MB): the largest body the edge accepts by default. */
export const MAX_BODY_BYTES = 6 * 1024 * 1024;

/** What the visibility timeout depends on. */
export interface VisibilityInputs {
  /** The consumer function's timeout. */
  timeoutSeconds: number;
  /** The event source mapping's `maximum_batching_window_in_seconds` (0 for FIFO). */
  batchingWindowSeconds: number;
}

/**
 * SQS visibility timeout for a consumer's queue: six times the function timeout plus the batching
 * window, as the Lambda documentation recommends for SQS event sources. The stack and the local
 * runtime both use it.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
 *
 * @example
 * visibilityTimeoutSeconds({ timeoutSeconds: 30, batchingWindowSeconds: 1 }) // 181
 */
export function visibilityTimeoutSeconds(c: VisibilityInputs): number {
  return 6 * c.timeoutSeconds + c.batchingWindowSeconds;
}
