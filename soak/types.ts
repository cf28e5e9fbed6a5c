/** The soak's shared types: options, figures, deliveries, and the state of one run. */
import type { ChildProcess } from "node:child_process";
import type { Fixture } from "../src/fixtures/fixture";

export type FaultName = "sqs" | "dynamodb" | "consumer" | "restart";

export interface SoakOptions {
  /** Distinct deliveries (each a distinct event, or a forged one). */
  deliveries: number;
  /** Steady sending rate, deliveries per second. */
  rate: number;
  /** Upper bound of the sending phase, seconds (what is not accepted by then is reported). */
  seconds: number;
  /** A burst of `burstSize` deliveries every `burstEverySeconds`. */
  burstEverySeconds: number;
  burstSize: number;
  /** Shares of the deliveries. */
  duplicateShare: number;
  badShare: number;
  poisonShare: number;
  faults: FaultName[];
  /** How long SQS and DynamoDB stay unreachable. */
  outageSeconds: number;
  consumerFailureRate: number;
  /** Upper bound of the wait for the queues to drain at the end. */
  settleSeconds: number;
  concurrency: number;
  root: string;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface SoakFigures {
  options: Omit<SoakOptions, "log" | "root">;
  elapsedSeconds: number;
  runtimeRuns: number;
  /** HTTP requests sent, and distinct deliveries by kind. */
  sent: number;
  deliveries: { valid: number; poison: number; forged: number; stale: number };
  resends: { redeliveries: number; slackRetries: number; afterFailure: number };
  accepted: { responses: number; events: number };
  notAccepted: Record<string, number>;
  rejected: Record<string, number>;
  processed: Record<string, number>;
  duplicatesSkipped: Record<string, number>;
  consumerFailures: Record<string, number>;
  injected: {
    randomFailures: number;
    poisonFailures: number;
    sqsOutages: number;
    dynamodbOutages: number;
    /** Clean Ctrl-C stops followed by a start on the same data; messages restored from the snapshot. */
    restarts: number;
    restoredMessages: number;
  };
  deadLettered: { poisonEvents: number; intact: number; messages: number; byQueue: Record<string, number> };
  neverAccepted: number;
  unexpectedAnswers: number;
  lost: number;
  doubled: number;
  /** Rejected deliveries found in the archive or processed; processed events nobody sent. */
  rejectedArchived: number;
  phantoms: number;
  problems: string[];
}

export type Kind = "valid" | "poison" | "forged" | "stale";

export interface Delivery {
  id: string;
  kind: Kind;
  fixture: Fixture;
  consumers: string[];
  accepted: boolean;
  answered401: boolean;
  slackRetryNum: number;
  /** The DLQ body must contain this (poison only). */
  marker?: string;
}

export interface Job {
  delivery: Delivery;
  purpose: "first" | "duplicate" | "retry";
  notBefore: number;
}

/** The local runtime as a child process (`soak/runtime.ts`). */
export interface ChildRuntime {
  child: ChildProcess;
  url: string;
  sqsEndpoint: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** One soak run: what every step reads, and what it adds to. */
export interface SoakRun {
  options: SoakOptions;
  log: (line: string) => void;
  /** Milliseconds since the epoch when the run began. */
  started: number;
  dataDir: string;
  /** The running child; replaced by the restart fault. */
  runtime: ChildRuntime;
  /** Each finished child's output. */
  outputs: string[];
  problems: string[];
  figures: SoakFigures;
  /** Faults done so far, for the progress lines. */
  faultLog: string[];
}
