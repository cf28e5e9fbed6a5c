import type { LambdaFunctionURLEvent } from "aws-lambda";
import type { Outcome } from "../../../../src/edge/gateway";
import { Journal } from "../../../../src/local/inspector/journal";

const request = (body: string) =>
  ({
    rawPath: "/github",
    headers: { "x-github-delivery": "d-1", "content-type": "application/json" },
    body,
    isBase64Encoded: false,
    requestContext: { timeEpoch: 1000, http: { method: "POST" } },
  }) as unknown as LambdaFunctionURLEvent;

const refused = (errorCode: string): Outcome => ({
  status: "rejected",
  provider: "github",
  errorCode,
  error: new Error(errorCode),
});

test("refused requests go to a bounded ring, newest first, with their delivery id", () => {
  const journal = new Journal({ refused: 2, events: 10, bodyBytes: 1000 });
  for (const code of ["a", "b", "c"]) journal.recordEdge(refused(code), request("{}"), 2000);

  expect(journal.refused().map((e) => [e.reason, e.deliveryId, e.receivedAt])).toEqual([
    ["c", "d-1", 1000],
    ["b", "d-1", 1000],
  ]);
  expect(journal.refused(3).map((e) => e.reason)).toEqual(["b"]);
});

test("bodies beyond the byte budget are dropped oldest first; the entries stay", () => {
  const journal = new Journal({ refused: 10, events: 10, bodyBytes: 10 });
  const first = journal.recordEdge(refused("a"), request("123456"), 0);
  const second = journal.recordEdge(refused("b"), request("abcdef"), 0);

  expect(first.request).toEqual(expect.objectContaining({ body: "", dropped: true }));
  expect(second.request?.body).toBe("abcdef");
});

test("a consumer's runs count attempts, failures and duplicates, and keep the last error", () => {
  const journal = new Journal();
  const base = { consumer: "github", messageId: "m", eventId: "github:1", durationMs: 1 };
  journal.recordRun(
    { ...base, status: "failed", error: new AggregateError([new Error("inner")], "outer") },
    1,
  );
  journal.recordRun({ ...base, status: "processed" }, 2);
  journal.recordRun({ ...base, status: "duplicate" }, 3);

  const run = journal.runsOf("github:1").get("github");
  expect(run).toEqual(
    expect.objectContaining({
      last: "duplicate",
      attempts: 2,
      failures: 1,
      duplicates: 1,
      processedAt: 2,
      lastAt: 3,
    }),
  );
  expect(run?.lastError).toEqual(
    expect.objectContaining({ name: "AggregateError", message: "outer", at: 1 }),
  );
  expect(run?.lastError?.stack).toContain("[0] Error: inner");
});
