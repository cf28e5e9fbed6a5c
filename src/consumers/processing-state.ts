import { type DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { idempotencyKey } from "./idempotency";

export type ProcessingStatus = "COMPLETED" | "INPROGRESS" | "EXPIRED" | "ABSENT";

export interface ProcessingState {
  consumer: string;
  eventId: string;
  status: ProcessingStatus;
  /** When the record stops deduplicating (ISO 8601). */
  expiresAt?: string;
  /** INPROGRESS only: when the claim lapses and another attempt may run (the invocation's deadline). */
  inProgressUntil?: string;
}

/**
 * Where one consumer stands with one event, read from the Powertools idempotency record
 * (attributes `status`, `expiration` in seconds, `in_progress_expiration` in ms).
 *
 * @example
 * await processingState(ddb, "idempotency", "archive", "github:72d3162e-cc78-11e3-81ab-4c9367dc0958")
 * // { consumer: "archive", eventId: "github:72d3…", status: "COMPLETED", expiresAt: "2026-11-29T10:00:00.000Z" }
 */
export async function processingState(
  ddb: DynamoDBClient,
  idempotencyTable: string,
  consumer: string,
  eventId: string,
  now: () => number = Date.now,
): Promise<ProcessingState> {
  const output = await ddb.send(
    new GetItemCommand({
      TableName: idempotencyTable,
      Key: { id: { S: idempotencyKey(consumer, eventId) } },
      ConsistentRead: true,
    }),
  );
  const item = output.Item;
  if (!item) return { consumer, eventId, status: "ABSENT" };
  const expiration = Number(item.expiration?.N);
  const inProgress = Number(item.in_progress_expiration?.N);
  const stored = item.status?.S;
  const expired = Number.isFinite(expiration) && expiration * 1000 < now();
  const status: ProcessingStatus = expired ? "EXPIRED" : stored === "INPROGRESS" ? "INPROGRESS" : "COMPLETED";
  const state: ProcessingState = { consumer, eventId, status };
  if (Number.isFinite(expiration)) state.expiresAt = new Date(expiration * 1000).toISOString();
  if (status === "INPROGRESS" && Number.isFinite(inProgress))
    state.inProgressUntil = new Date(inProgress).toISOString();
  return state;
}
