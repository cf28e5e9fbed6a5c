import { CopyOfFailedRecordError } from "./errors";

/** How the first copy of an event in a batch ended: `undefined` when it succeeded, else its error. */
type FirstCopyEnd = { error?: unknown };

/** The first copy of an event in the batch: runs, then says how it ended. */
export interface FirstCopy {
  first: true;
  /** Call exactly once, with the error when the copy failed. */
  settle(error?: unknown): void;
}

/** A later copy: resolves when the first copy succeeded, rejects when it failed. */
export interface LaterCopy {
  first: false;
  firstCopy: Promise<void>;
}

/**
 * The copies of one event in one batch (a GitHub redelivery, a Slack retry, an SQS duplicate), so
 * that only the first runs the idempotent handler: run side by side, the others would meet its
 * in-progress record and wait out the visibility timeout.
 *
 * A later copy ends as the first one did: acknowledged as a duplicate when it succeeded; failed
 * with it when it failed (with the same `IdempotencyAlreadyInProgressError` when another
 * invocation holds the event, else a {@link CopyOfFailedRecordError}), so that every copy comes
 * back and is settled together. On a FIFO queue, records run one after the other, so a later copy
 * only ever finds its first copy settled (and a group's failure skips it anyway).
 *
 * @example
 * const copies = new BatchCopies();
 * const claim = copies.claim(event.id);
 * if (!claim.first) return await claim.firstCopy; // a duplicate, or throws
 * try { await run(event); claim.settle(); } catch (error) { claim.settle(error); throw error; }
 */
export class BatchCopies {
  readonly #firsts = new Map<string, Promise<FirstCopyEnd>>();

  /** Claims `eventId` for the calling record, or hands it the first copy's ending. Synchronous. */
  claim(eventId: string): FirstCopy | LaterCopy {
    const held = this.#firsts.get(eventId);
    if (held) return { first: false, firstCopy: held.then((end) => laterCopyEnd(eventId, end)) };
    let settle: (end: FirstCopyEnd) => void = () => {};
    this.#firsts.set(eventId, new Promise<FirstCopyEnd>((resolve) => (settle = resolve)));
    return { first: true, settle: (error?: unknown) => settle(error === undefined ? {} : { error }) };
  }
}

function laterCopyEnd(eventId: string, end: FirstCopyEnd): void {
  if (end.error === undefined) return;
  if (isInProgressError(end.error)) throw end.error;
  throw new CopyOfFailedRecordError(eventId, end.error);
}

/** Powertools' "another invocation holds this event" error (its class is not needed to tell it). */
export const IN_PROGRESS_ERROR = "IdempotencyAlreadyInProgressError";

/** True for Powertools' {@link IN_PROGRESS_ERROR}. */
export function isInProgressError(error: unknown): boolean {
  return error instanceof Error && error.name === IN_PROGRESS_ERROR;
}
