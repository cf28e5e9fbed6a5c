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
/** Retention of a consumer queue (the SQS default, 4 days). */
export const QUEUE_RETENTION_SECONDS = 4 * 24 * 60 * 60;
/**
 * The longest a queued message can live: its queue's retention, then its DLQ's (moving to a FIFO
 * queue's DLQ resets the enqueue time), then its queue's again (a DLQ redrive starts a new
 * retention period). A claim check must outlive it.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
 */
export const MAX_MESSAGE_LIFE_SECONDS =
  QUEUE_RETENTION_SECONDS + DLQ_RETENTION_SECONDS + QUEUE_RETENTION_SECONDS;
/** The shortest claim-check expiry the configuration accepts: whole days covering the longest message life. */
export const MIN_CLAIM_CHECK_EXPIRATION_DAYS = Math.ceil(MAX_MESSAGE_LIFE_SECONDS / (24 * 60 * 60));
/** Default lifetime of a claim check: a day more than the longest a message can live (23 days). */
export const CLAIM_CHECK_EXPIRATION_DAYS = MIN_CLAIM_CHECK_EXPIRATION_DAYS + 1;
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

/**
 * How long the edge keeps secrets read from Secrets Manager before reading them again
 * (`SECRETS_TTL_SECONDS` overrides): a rotation must wait this long before the provider switches.
 */
export const DEFAULT_SECRETS_TTL_SECONDS = 300;
/** The local runtime re-reads its secrets (`.env`) this often unless `SECRETS_TTL_SECONDS` is set. */
export const LOCAL_SECRETS_TTL_SECONDS = 5;

/** Lambda's limit on a function's environment variables, all together (4 KB). */
export const LAMBDA_ENVIRONMENT_MAX_BYTES = 4096;

/**
 * Environment variables the Lambda runtime sets and a function may not: `CreateFunction` and
 * `UpdateFunctionConfiguration` refuse them ("reserved keys"). From the Lambda Developer Guide,
 * "Defined runtime environment variables" (listed from memory of that page).
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 */
export const LAMBDA_RESERVED_ENVIRONMENT_NAMES: readonly string[] = [
  "_HANDLER",
  "_X_AMZN_TRACE_ID",
  "AWS_DEFAULT_REGION",
  "AWS_REGION",
  "AWS_EXECUTION_ENV",
  "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
  "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_LAMBDA_INITIALIZATION_TYPE",
  "AWS_LAMBDA_LOG_GROUP_NAME",
  "AWS_LAMBDA_LOG_STREAM_NAME",
  "AWS_ACCESS_KEY",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_LAMBDA_RUNTIME_API",
  "LAMBDA_TASK_ROOT",
  "LAMBDA_RUNTIME_DIR",
];
