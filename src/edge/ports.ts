/**
 * Ports: what the core needs from the outside world. The AWS adapters live in `src/adapters`;
 * tests and benchmarks plug in their own.
 */

/** One message for one queue, ready to send. */
export interface OutboundMessage {
  queueUrl: string;
  body: string;
  attributes: { type: string; source: string; provider: string };
  /** FIFO only. */
  groupId?: string;
  /** FIFO only. */
  deduplicationId?: string;
}

/**
 * When a request must be answered. Adapters that do I/O take `signal()` (created on first use,
 * so an in-memory port pays nothing for it); the publisher also stops waiting at `at`.
 */
export interface Deadline {
  /** Epoch milliseconds. */
  readonly at: number;
  signal(): AbortSignal;
}

/**
 * A deadline `ms` from now.
 *
 * @example
 * const deadline = deadlineIn(2000);
 * await client.send(command, { abortSignal: deadline.signal() });
 */
export function deadlineIn(ms: number, now = Date.now()): Deadline {
  const at = now + ms;
  let signal: AbortSignal | undefined;
  return { at, signal: () => (signal ??= AbortSignal.timeout(Math.max(0, at - Date.now()))) };
}

export interface QueuePort {
  /** Resolves once the queue has accepted the message; rejects otherwise (including past the deadline). */
  send(message: OutboundMessage, deadline: Deadline): Promise<void>;
}

/** Stores an event too large for a queue message and returns its `dataref` URI. */
export interface ClaimCheckPort {
  put(eventId: string, body: string, deadline: Deadline): Promise<string>;
}

/** The webhook secrets currently accepted, newest first. */
export interface SecretsPort {
  github: SecretList;
  slack: SecretList;
}

/**
 * One provider's secrets. `refreshIfStale`, where the list comes from a store read again now and
 * then, re-reads it when the cached copy is older than its time to live (or is being re-read) and
 * answers `undefined` otherwise: the gateway asks for it when a signature fails, so a secret
 * rotated while this instance was idle is accepted on its first delivery.
 */
export type SecretList = (() => readonly string[] | Promise<readonly string[]>) & {
  refreshIfStale?: () => Promise<readonly string[]> | undefined;
};
