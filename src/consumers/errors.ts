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

/** The message body is not a gateway event: not JSON, not an object, or no `id`/`type`/`source`. */
export class InvalidEventError extends ConsumerError {
  constructor(reason: string, cause?: unknown) {
    super(`invalid_event_${reason}`, `Message body is not a gateway event: ${reason}`, { cause });
  }
}

/** The claim check could not be resolved (bad `dataref`, object missing, or not the same event). */
export class ClaimCheckError extends ConsumerError {
  constructor(reason: string, cause?: unknown) {
    super(`claim_check_${reason}`, `Claim check could not be resolved: ${reason}`, { cause });
  }
}
