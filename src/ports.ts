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

export interface QueuePort {
  /** Resolves once the queue has accepted the message; rejects otherwise (including on abort). */
  send(message: OutboundMessage, signal: AbortSignal): Promise<void>;
}

/** Stores an event too large for a queue message and returns its `dataref` URI. */
export interface ClaimCheckPort {
  put(eventId: string, body: string, signal: AbortSignal): Promise<string>;
}

/** The webhook secrets currently accepted, newest first. */
export interface SecretsPort {
  github(): readonly string[] | Promise<readonly string[]>;
  slack(): readonly string[] | Promise<readonly string[]>;
}
