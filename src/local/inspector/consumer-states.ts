import {
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  type DynamoDBClient,
  type KeysAndAttributes,
} from "@aws-sdk/client-dynamodb";
import { compileFilter, idempotencyKey, type ProcessingStatus } from "../../consumers";
import type { ConsumerFilter } from "../../consumers/types";
import { IDEMPOTENCY_EXPIRY_ATTRIBUTE, IDEMPOTENCY_KEY } from "../../contract/tables";
import type { ConsumerRun } from "./journal";

/** Where one consumer stands with one event, as the list shows it. */
export type ConsumerState =
  | "pending"
  | "in-progress"
  | "processed"
  | "duplicate"
  | "failed"
  | "dead-lettered"
  | "filtered"
  | "expired"
  | "off";

export interface ConsumerSummary {
  name: string;
  state: ConsumerState;
  attempts: number;
  failures: number;
  duplicates: number;
}

/** The consumers of the runtime: their filters, and whether each runs. */
export interface ConsumerDirectory {
  /** The consumers whose filter matches an event, in configuration order. */
  matching(event: { type: string; source: string }): string[];
  running(name: string): boolean;
  names: readonly string[];
}

/**
 * The consumers' filters, compiled with the edge's matcher.
 *
 * @example
 * consumerDirectory([{ name: "github", filter: { types: ["com.github.*"] } }], new Set(["github"])).matching(event)
 */
export function consumerDirectory(
  consumers: readonly { name: string; filter: ConsumerFilter }[],
  running: ReadonlySet<string>,
): ConsumerDirectory {
  const compiled = consumers.map((c) => ({ name: c.name, matches: compileFilter(c.name, c.filter) }));
  return {
    matching: (event) => compiled.filter((c) => c.matches(event)).map((c) => c.name),
    running: (name) => running.has(name),
    names: consumers.map((c) => c.name),
  };
}

/**
 * One consumer's compact state: dead-lettered when its DLQ holds the event; otherwise the last
 * outcome this process saw; otherwise the idempotency record (which outlives restarts); otherwise
 * pending (or off when the consumer does not run).
 *
 * @example
 * consumerSummary("github", run, "COMPLETED", false, true) // { name: "github", state: "processed", attempts: 1, … }
 */
export function consumerSummary(
  name: string,
  run: ConsumerRun | undefined,
  stored: ProcessingStatus | undefined,
  deadLettered: boolean,
  running: boolean,
): ConsumerSummary {
  const counts = {
    attempts: run?.attempts ?? 0,
    failures: run?.failures ?? 0,
    duplicates: run?.duplicates ?? 0,
  };
  return { name, state: stateOf(run, stored, deadLettered, running), ...counts };
}

function stateOf(
  run: ConsumerRun | undefined,
  stored: ProcessingStatus | undefined,
  deadLettered: boolean,
  running: boolean,
): ConsumerState {
  if (deadLettered) return "dead-lettered";
  if (run) return run.last;
  if (stored === "COMPLETED") return "processed";
  if (stored === "INPROGRESS") return "in-progress";
  if (stored === "EXPIRED") return "expired";
  return running ? "pending" : "off";
}

/** The key {@link storedStates} answers under. */
export const pairKey = (consumer: string, eventId: string) => `${consumer}\n${eventId}`;

/**
 * The idempotency records of many (consumer, event) pairs at once (BatchGetItem, 100 keys a call),
 * for a page of the list: status only.
 *
 * @example
 * (await storedStates(ddb, "idempotency", [["archive", "github:1"]])).get(pairKey("archive", "github:1")) // "COMPLETED"
 */
export async function storedStates(
  ddb: DynamoDBClient,
  table: string,
  pairs: readonly (readonly [consumer: string, eventId: string])[],
  now: () => number = Date.now,
): Promise<Map<string, ProcessingStatus>> {
  const byKey = new Map(pairs.map(([c, e]) => [idempotencyKey(c, e), pairKey(c, e)]));
  const states = new Map<string, ProcessingStatus>();
  const keys = [...byKey.keys()];
  for (let i = 0; i < keys.length; i += 100) {
    let request: Record<string, KeysAndAttributes> | undefined = {
      [table]: {
        Keys: keys.slice(i, i + 100).map((k) => ({ [IDEMPOTENCY_KEY]: { S: k } })),
        ConsistentRead: true,
      },
    };
    while (request && Object.keys(request).length > 0) {
      const output: BatchGetItemCommandOutput = await ddb.send(
        new BatchGetItemCommand({ RequestItems: request }),
      );
      for (const item of output.Responses?.[table] ?? []) {
        const pair = byKey.get(item[IDEMPOTENCY_KEY]?.S ?? "");
        const expiration = Number(item[IDEMPOTENCY_EXPIRY_ATTRIBUTE]?.N);
        const expired = Number.isFinite(expiration) && expiration * 1000 < now();
        const status = expired ? "EXPIRED" : item.status?.S === "INPROGRESS" ? "INPROGRESS" : "COMPLETED";
        if (pair) states.set(pair, status);
      }
      request = output.UnprocessedKeys;
    }
  }
  return states;
}
