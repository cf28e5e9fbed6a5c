/**
 * The inspector's listing: archive summaries newest first, paged with an opaque cursor built from
 * DynamoDB's ExclusiveStartKey, never reading payloads, and never scanning more than a bounded
 * number of items for one page.
 */
import { BatchWriteCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ArchiveStore } from "../../../src/consumers/archive-store";
import { InvalidCursorError } from "../../../src/consumers/archive-summaries";
import { createArchiveTable } from "../../../src/consumers/tables";
import { startDynamo } from "../../helpers/emulators";

const NOW = Date.parse("2026-03-05T12:00:00Z");
const TOTAL = 1200;
let dynamo: Awaited<ReturnType<typeof startDynamo>>;
let store: ArchiveStore;

/** Item `i` is `i` minutes before NOW (so spread over a day boundary); every 400th is a release. */
function item(i: number) {
  const receivedat = new Date(NOW - i * 60_000).toISOString();
  const type = i % 400 === 7 ? "com.github.release.published" : "com.github.push";
  const event = {
    id: `github:${i}`,
    type,
    source: `https://github.com/o/r${i % 3}`,
    data: { big: "x".repeat(500) },
  };
  return {
    id: event.id,
    type,
    source: event.source,
    subject: `ref/${i}`,
    time: receivedat,
    receivedat,
    day: receivedat.slice(0, 10),
    event: JSON.stringify(event),
  };
}

beforeAll(async () => {
  dynamo = await startDynamo();
  await createArchiveTable(dynamo.ddb, "archive");
  const doc = DynamoDBDocumentClient.from(dynamo.ddb);
  for (let start = 0; start < TOTAL; start += 25) {
    const batch = Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: item(start + j) } }));
    await doc.send(new BatchWriteCommand({ RequestItems: { archive: batch } }));
  }
  store = new ArchiveStore(dynamo.ddb, "archive", { now: () => NOW });
}, 120_000);

afterAll(async () => {
  await dynamo.stop();
});

test("pages walk every event once, newest first, across days, without payloads", async () => {
  const seen: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await store.listSummaries({ limit: 100, cursor });
    seen.push(...page.items.map((s) => s.id));
    expect(page.items.every((s) => !("event" in s))).toBe(true);
    cursor = page.next;
    pages++;
  } while (cursor);

  expect(seen).toEqual(Array.from({ length: TOTAL }, (_, i) => `github:${i}`));
  expect(pages).toBeGreaterThanOrEqual(12);
});

test("an item's cursor resumes right after it", async () => {
  const first = await store.listSummaries({ limit: 10 });

  const resumed = await store.listSummaries({ limit: 3, cursor: first.items[4]!.cursor });

  expect(resumed.items.map((s) => s.id)).toEqual(["github:5", "github:6", "github:7"]);
  expect(first.items[0]).toEqual(
    expect.objectContaining({ id: "github:0", type: "com.github.push", subject: "ref/0", day: "2026-03-05" }),
  );
});

test("an exact type reads the by-type index; a pattern and a predicate filter", async () => {
  const exact = await store.listSummaries({ type: "com.github.release.published" });
  const pattern = await store.listSummaries({ type: "com.github.release.*", limit: 2 });
  const where = await store.listSummaries({
    source: "https://github.com/o/r1",
    limit: 3,
    where: (s) => s.subject !== "ref/1",
  });

  expect(exact.items.map((s) => s.id)).toEqual(["github:7", "github:407", "github:807"]);
  expect(exact.next).toBeUndefined();
  expect(pattern.items.map((s) => s.id)).toEqual(["github:7", "github:407"]);
  expect(where.items.map((s) => s.id)).toEqual(["github:4", "github:7", "github:10"]);
});

test("a sparse filter answers a short page and a cursor instead of scanning everything", async () => {
  const page = await store.listSummaries({ type: "com.github.release.*", limit: 5, maxScan: 300 });
  const rest = await store.listSummaries({ type: "com.github.release.*", limit: 5, cursor: page.next });

  expect(page.items.map((s) => s.id)).toEqual(["github:7"]);
  expect(page.next).toBeDefined();
  expect(rest.items.map((s) => s.id)).toEqual(["github:407", "github:807"]);
  expect(rest.next).toBeUndefined();
});

test("a cursor it did not write is refused with a typed error", async () => {
  await expect(store.listSummaries({ cursor: "not-a-cursor" })).rejects.toBeInstanceOf(InvalidCursorError);
});
