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

/** A failure as logs, the archive and the local runtime report it: the original error, not a wrapper. */
export interface FailureDetails {
  /** The error's class name (`TypeError`, `ConsumerError`, …). */
  type: string;
  message: string;
  stack?: string;
  /** The first stack frame outside `node_modules` and Node's internals: where the code that threw lives. */
  origin?: string;
}

const FOREIGN_FRAME = /node_modules|node:internal|\(node:|^\s*at (?:async )?(?:Promise\.|new Promise)/;

/**
 * Describes a failure for people: type, message, stack and the frame that points at the user's
 * code (`/app/listeners/github.ts:12:11`).
 *
 * @example
 * describeFailure(new TypeError("boom")) // { type: "TypeError", message: "boom", stack: "TypeError: boom\n    at …", origin: "/repo/listeners/github.ts:12:11" }
 */
export function describeFailure(error: unknown): FailureDetails {
  if (!(error instanceof Error)) return { type: typeof error, message: String(error) };
  const details: FailureDetails = { type: error.name, message: error.message };
  if (typeof error.stack === "string") {
    details.stack = error.stack;
    const origin = stackOrigin(error.stack);
    if (origin) details.origin = origin;
  }
  return details;
}

/**
 * The location (`file:line:column`) of the first stack frame outside `node_modules` and Node.
 *
 * @example
 * stackOrigin("Error: boom\n    at fn (/repo/listeners/github.ts:12:11)") // "/repo/listeners/github.ts:12:11"
 */
export function stackOrigin(stack: string): string | undefined {
  for (const line of stack.split("\n").slice(1)) {
    if (!/^\s*at /.test(line) || FOREIGN_FRAME.test(line)) continue;
    const location =
      /\(([^()]+:\d+:\d+)\)\s*$/.exec(line)?.[1] ?? /at (?:async )?(\S+:\d+:\d+)\s*$/.exec(line)?.[1];
    if (location) return location.replace(/^file:\/\//, "");
  }
  return undefined;
}

/**
 * An error's stack, with the stacks of an AggregateError's errors after it (Octokit wraps a
 * listener's error in one).
 *
 * @example
 * fullStack(new AggregateError([new Error("boom")])) // "AggregateError\n    at …\n[0] Error: boom\n    at …"
 */
export function fullStack(error: Error): string | undefined {
  if (!(error instanceof AggregateError)) return error.stack;
  const inner = error.errors.map((e, i) => `[${i}] ${e instanceof Error ? e.stack : String(e)}`);
  return [error.stack, ...inner].join("\n");
}
