import { createHash } from "node:crypto";
import {
  CLAIM_CHECK_EXPIRATION_DAYS,
  CLAIM_CHECK_PREFIX,
  claimCheckKey,
  DLQ_RETENTION_SECONDS,
  IDEMPOTENCY_TTL_SECONDS,
  MAX_MESSAGE_LIFE_SECONDS,
  MAX_QUEUED_BODY_BYTES,
  MIN_CLAIM_CHECK_EXPIRATION_DAYS,
  QUEUE_RETENTION_SECONDS,
  SQS_MAX_MESSAGE_BYTES,
  visibilityTimeoutSeconds,
} from "../../../src/contract/limits";

describe("visibilityTimeoutSeconds", () => {
  it.each([
    [{ timeoutSeconds: 30, batchingWindowSeconds: 1 }, 181],
    [{ timeoutSeconds: 60, batchingWindowSeconds: 0 }, 360],
    // Short timeouts are not raised to SQS's 30 s default: the rule is the same everywhere.
    [{ timeoutSeconds: 3, batchingWindowSeconds: 0 }, 18],
    [{ timeoutSeconds: 900, batchingWindowSeconds: 300 }, 5700],
  ])("is six times the function timeout plus the batching window: %j → %i", (inputs, expected) => {
    expect(visibilityTimeoutSeconds(inputs)).toBe(expected);
  });
});

test("a claim check is keyed on the SHA-256 of the event id, under the prefix the stack grants", () => {
  const hex = createHash("sha256").update("github:72d3").digest("hex");

  expect(claimCheckKey("github:72d3")).toBe(`events/${hex}.json`);
  expect(CLAIM_CHECK_PREFIX).toBe("events/");
});

test("limits keep the documented values", () => {
  expect([IDEMPOTENCY_TTL_SECONDS, SQS_MAX_MESSAGE_BYTES, MAX_QUEUED_BODY_BYTES]).toEqual([
    604800, 1048576, 1032192,
  ]);
});

test("a claim check outlives the longest a message can live: queue, DLQ, queue again after a redrive", () => {
  expect([QUEUE_RETENTION_SECONDS, DLQ_RETENTION_SECONDS]).toEqual([345600, 1209600]);
  expect(MAX_MESSAGE_LIFE_SECONDS).toBe(22 * 86400);
  expect([MIN_CLAIM_CHECK_EXPIRATION_DAYS, CLAIM_CHECK_EXPIRATION_DAYS]).toEqual([22, 23]);
});
