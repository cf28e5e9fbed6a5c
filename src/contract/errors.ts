import { CodedError } from "../shared/errors";

/**
 * A queue message body that is not a gateway event: not JSON, not an object, or no
 * `id`/`type`/`source`. Permanent: the same body can never be processed, so the record fails
 * and, after the queue's `maxReceiveCount`, lands intact in the dead-letter queue.
 *
 * @example
 * throw new InvalidEventError("missing_id") // code "invalid_event_missing_id"
 */
export class InvalidEventError extends CodedError {
  constructor(reason: string, cause?: unknown) {
    super(`invalid_event_${reason}`, `Message body is not a gateway event: ${reason}`, { cause });
  }
}
