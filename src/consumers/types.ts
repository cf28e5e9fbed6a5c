import type { Logger } from "@aws-lambda-powertools/logger";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { GatewayEvent } from "../contract/event";

/**
 * Which events a consumer wants. Patterns use `*` for any run of characters, exactly as the
 * edge's routes do (`src/contract/routing.ts`); an empty or absent list matches everything.
 */
export interface ConsumerFilter {
  types?: string[];
  sources?: string[];
}

/** What a consumer's handler receives besides the event. */
export interface ConsumerContext {
  /** The consumer's name (also the idempotency key prefix). */
  consumer: string;
  /** The SQS record the event arrived in. */
  record: SQSRecord;
  /** The Lambda context of the invocation (deadline, request id). */
  lambdaContext: Context;
  /** A logger whose correlation id is the event id. */
  logger: Logger;
  /** The claim check the event was fetched from, when the message carried one. */
  dataref?: string;
}

/** A downstream consumer: a name, a filter and a handler that runs at most once per event id. */
export interface Consumer {
  /** Letters, digits, `-` and `_`; scopes the idempotency records. */
  name: string;
  filter: ConsumerFilter;
  /**
   * Resolves `"duplicate"` when it found the event already handled: only a consumer that is
   * `idempotent` by itself can tell, and the record then counts as a duplicate.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: most handlers resolve nothing
  handler: (event: GatewayEvent, context: ConsumerContext) => Promise<void | "duplicate">;
  /**
   * The handler is idempotent by itself (the archive's first-write-wins conditional put), so it
   * runs without Powertools idempotency: no idempotency record is written or read for it. Default false.
   */
  idempotent?: boolean;
}

/** The SQS-triggered Lambda handler a consumer becomes (partial batch responses). */
export type SqsConsumerHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** How one record ended, reported to {@link RecordOutcome} observers (metrics, local runtime). */
export type OutcomeStatus = "processed" | "duplicate" | "filtered" | "failed";

export interface RecordOutcome {
  consumer: string;
  messageId: string;
  /** Absent when the body held no readable event id. */
  eventId?: string;
  type?: string;
  status: OutcomeStatus;
  /** Failure reason (error name), for `failed` only. */
  reason?: string;
  error?: unknown;
  /**
   * `failed` only: the record comes back in this many seconds rather than after the visibility
   * timeout (it met another invocation's in-progress record, and waits for it to finish).
   */
  retryInSeconds?: number;
  durationMs: number;
}
