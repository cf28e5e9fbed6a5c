import { CodedError } from "../shared/errors";

/**
 * Why a queued record cannot be processed. Each one fails the record, so SQS redelivers it and,
 * once the queue's `maxReceiveCount` is reached, moves it to the dead-letter queue intact.
 */
export class ConsumerError extends CodedError {
  constructor(code: string, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { cause: options.cause });
  }
}

/** Re-exported from the contract, where the event parser that throws it lives. */
export { InvalidEventError } from "../contract/errors";

/** The claim check could not be resolved (bad `dataref`, object missing, or not the same event). */
export class ClaimCheckError extends ConsumerError {
  /** `detail` replaces `reason` in the message where it says more (which object, and why). */
  constructor(reason: string, cause?: unknown, detail?: string) {
    super(`claim_check_${reason}`, `Claim check could not be resolved: ${detail ?? reason}`, { cause });
  }
}

/** An earlier copy of the same event in the same batch failed, so this copy fails with it. */
export class CopyOfFailedRecordError extends ConsumerError {
  constructor(eventId: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.name : "UnknownError";
    super("copy_of_failed_record", `The first copy of ${eventId} in this batch failed (${reason})`, {
      cause,
    });
  }
}
