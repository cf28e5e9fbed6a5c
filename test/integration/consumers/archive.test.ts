/**
 * The archive: the shipped consumer writing the event store from a real queue, claim checks
 * resolved from S3 (fauxqs), and the inspector's queries against real tables (dynalite).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { brotliDecompressSync } from "node:zlib";
import {
  DescribeTableCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
} from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { ArchiveStore } from "../../../src/consumers/archive-store";
import type { ConsumerLambdaConfig } from "../../../src/consumers/config";
import { processingState } from "../../../src/consumers/processing-state";
import { shippedArchiveConsumer } from "../../../src/consumers/shipped/archive";
import { createArchiveTable } from "../../../src/consumers/tables";
import type { RecordOutcome } from "../../../src/consumers/types";
import { type GatewayEvent, serializeClaimCheck } from "../../../src/contract/event";
import { S3ClaimCheck } from "../../../src/edge/adapters/s3-claim-check";
import { deadlineIn } from "../../../src/edge/ports";
import { githubEvent, githubExample, slackEventsApiEvent } from "../../helpers/factories";
import { createQueuePair, queueDepth, sendEvent, sendRaw } from "../../helpers/sqs-queues";
import { waitFor } from "../../helpers/sqs-wait";
import { countingConsumer } from "./support/counting-consumer";
import { type Bench, quietObservability, startBench } from "./support/harness";

let bench: Bench;
let table: string;

beforeAll(async () => {
  bench = await startBench();
  table = `archive-${randomUUID().slice(0, 8)}`;
  await createArchiveTable(bench.ddb, table);
});

afterEach(async () => {
  await bench.stopConsumers();
});

afterAll(async () => {
  await bench.stop();
});

async function runArchive(archiveRetentionDays?: number) {
  const queue = await createQueuePair(bench.sqs);
  const outcomes: RecordOutcome[] = [];
  const config: ConsumerLambdaConfig = {
    idempotencyTable: bench.idempotencyTable,
    idempotencyTtlSeconds: 604_800,
    archiveTable: table,
    archiveRetentionDays,
    fifo: false,
  };
  const consumer = shippedArchiveConsumer({
    config,
    ddb: bench.ddb,
    s3: bench.s3,
    ...quietObservability(),
    onOutcome: (outcome) => outcomes.push(outcome),
  });
  await bench.runHandler(consumer.createHandler(), queue, { functionName: "archive" });
  return { queue, outcomes };
}

async function itemsWithId(id: string): Promise<number> {
  const output = await bench.ddb.send(
    new ScanCommand({
      TableName: table,
      FilterExpression: "id = :id",
      ExpressionAttributeValues: { ":id": { S: id } },
    }),
  );
  return output.Count ?? 0;
}

/** The stored item as DynamoDB holds it (attribute values with their types). */
async function rawItem(id: string) {
  const output = await bench.ddb.send(new GetItemCommand({ TableName: table, Key: { id: { S: id } } }));
  return output.Item!;
}

test("every event is archived once, whole, and can be read back by id", async () => {
  const { queue, outcomes } = await runArchive();
  const event = githubEvent({ name: "issues", payload: githubExample("issues", "opened") });

  await sendEvent(bench.sqs, queue.queueUrl, event);
  await sendEvent(bench.sqs, queue.queueUrl, event);
  await waitFor(() => outcomes.filter((outcome) => outcome.status !== "failed").length === 2, "both copies");

  expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["duplicate", "processed"]);
  expect(await itemsWithId(event.id)).toBe(1);
  const archived = await new ArchiveStore(bench.ddb, table).getEvent(event.id);
  expect(archived).toEqual({
    id: event.id,
    type: "com.github.issues.opened",
    source: "https://github.com/Codertocat/Hello-World",
    subject: event.subject,
    time: event.time,
    receivedat: event.receivedat,
    day: event.receivedat.slice(0, 10),
    event,
    expiresat: Math.floor(Date.parse(event.receivedat) / 1000) + 30 * 86_400,
  });
  // The conditional put is the archive's idempotency: no Powertools record is written for it.
  expect((await processingState(bench.ddb, bench.idempotencyTable, "archive", event.id)).status).toBe(
    "ABSENT",
  );
});

/** The envelope attributes the archive item holds as attributes, as its compressed JSON writes them. */
function heldAsAttributes(event: GatewayEvent): Record<string, 0> {
  const held = ["id", "type", "source", "subject", "time", "receivedat"].filter((key) => key in event);
  return Object.fromEntries(held.map((key) => [key, 0]));
}

test("the event is stored brotli-compressed in a Binary attribute, with its TTL", async () => {
  const { queue, outcomes } = await runArchive(7);
  const event = githubEvent({ name: "push", payload: githubExample("push") });

  await sendEvent(bench.sqs, queue.queueUrl, event);
  await waitFor(() => outcomes.length === 1, "the event");

  const item = await rawItem(event.id);
  expect(Object.keys(item).sort()).toEqual(
    [
      "day",
      "encoding",
      "expiresat",
      "id",
      "payload",
      "receivedat",
      "source",
      "subject",
      "time",
      "type",
    ].sort(),
  );
  expect(item.encoding).toEqual({ S: "br" });
  const json = JSON.stringify(event);
  // The envelope attributes the item holds are written as 0 in place, and restored on read.
  expect(brotliDecompressSync(item.payload!.B!).toString("utf8")).toBe(
    JSON.stringify({ ...event, ...heldAsAttributes(event) }),
  );
  expect(JSON.stringify((await new ArchiveStore(bench.ddb, table).getEvent(event.id))?.event)).toBe(json);
  expect(item.payload!.B!.byteLength).toBeLessThan(Buffer.byteLength(json) / 3);
  expect(item.expiresat).toEqual({ N: String(Math.floor(Date.parse(event.receivedat) / 1000) + 7 * 86_400) });
});

test("a claim-checked event is fetched from S3 before the handler sees it", async () => {
  const { queue, outcomes } = await runArchive();
  const bucket = `payloads-${randomUUID().slice(0, 8)}`;
  await bench.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const event = githubEvent({ name: "push", payload: githubExample("push") });
  const { data: _data, ...attributes } = event;
  const dataref = await new S3ClaimCheck(bench.s3, bucket).put(
    event.id,
    JSON.stringify(event),
    deadlineIn(5000),
  );

  await sendRaw(bench.sqs, queue.queueUrl, serializeClaimCheck(attributes, dataref));
  await waitFor(() => outcomes.length === 1, "the claim-checked event");

  expect(outcomes[0]?.status).toBe("processed");
  const archived = await new ArchiveStore(bench.ddb, table).getEvent(event.id);
  expect(archived?.event).toEqual(event);
  expect(archived?.dataref).toBe(dataref);
  expect(archived?.truncated).toBeUndefined();
  const item = await rawItem(event.id);
  expect(item.encoding).toEqual({ S: "br" });
  expect(JSON.parse(brotliDecompressSync(item.payload!.B!).toString("utf8"))).toEqual({
    ...event,
    ...heldAsAttributes(event),
  });
});

test("a claim check pointing nowhere, or at another event, fails the record", async () => {
  const { queue, outcomes } = await runArchive();
  const bucket = `payloads-${randomUUID().slice(0, 8)}`;
  await bench.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const stored = githubEvent({ name: "push", payload: githubExample("push") });
  const dataref = await new S3ClaimCheck(bench.s3, bucket).put(
    stored.id,
    JSON.stringify(stored),
    deadlineIn(5000),
  );
  const other = githubEvent({ name: "issues", payload: githubExample("issues", "opened") });
  const { data: _a, ...otherAttributes } = other;
  const missing = githubEvent({ name: "issues", payload: githubExample("issues", "edited") });
  const { data: _b, ...missingAttributes } = missing;

  await sendRaw(bench.sqs, queue.queueUrl, serializeClaimCheck(otherAttributes, dataref));
  await sendRaw(
    bench.sqs,
    queue.queueUrl,
    serializeClaimCheck(missingAttributes, `s3://${bucket}/events/nothing.json`),
  );
  await waitFor(() => outcomes.length >= 2, "both attempts");

  expect(outcomes.slice(0, 2).map((outcome) => [outcome.status, outcome.reason])).toEqual([
    ["failed", "ClaimCheckError"],
    ["failed", "ClaimCheckError"],
  ]);
  expect(await itemsWithId(other.id)).toBe(0);
  expect(await itemsWithId(missing.id)).toBe(0);
});

test("an item archived before compression (its event as a JSON string) still reads back", async () => {
  const legacy = githubEvent({
    name: "push",
    payload: githubExample("push"),
    receivedAt: new Date("2019-06-01T07:00:00Z"),
  });
  await bench.ddb.send(
    new PutItemCommand({
      TableName: table,
      Item: {
        id: { S: legacy.id },
        type: { S: legacy.type },
        source: { S: legacy.source },
        time: { S: legacy.time },
        receivedat: { S: legacy.receivedat },
        day: { S: "2019-06-01" },
        event: { S: JSON.stringify(legacy) },
      },
    }),
  );

  const store = new ArchiveStore(bench.ddb, table);
  expect((await store.getEvent(legacy.id))?.event).toEqual(legacy);
  const listed = await store.listEvents({ from: "2019-06-01T00:00:00Z", to: "2019-06-01T23:59:59Z" });
  expect(listed.map((event) => [event.id, event.event])).toEqual([[legacy.id, legacy]]);
});

describe("queries", () => {
  const day = (iso: string) => new Date(iso);
  let store: ArchiveStore;
  let events: Record<string, GatewayEvent>;
  // A table of its own: the other tests archive events received today.
  const queryTable = `archive-queries-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    await createArchiveTable(bench.ddb, queryTable);
    store = new ArchiveStore(bench.ddb, queryTable, { now: () => Date.parse("2026-03-05T12:00:00Z") });
    const source = "https://github.com/query/repo";
    const repo = (name: string) => ({ ...githubExample(name, name === "push" ? undefined : "opened") });
    const withRepo = (payload: Record<string, unknown>) => ({
      ...payload,
      repository: { full_name: "query/repo" },
    });
    events = {
      oldPush: githubEvent({
        name: "push",
        payload: withRepo(repo("push")),
        receivedAt: day("2026-03-01T09:00:00Z"),
      }),
      issue: githubEvent({
        name: "issues",
        payload: withRepo(repo("issues")),
        receivedAt: day("2026-03-03T10:00:00Z"),
      }),
      newPush: githubEvent({
        name: "push",
        payload: withRepo(repo("push")),
        receivedAt: day("2026-03-05T08:00:00Z"),
      }),
      slack: slackEventsApiEvent({ event: { type: "app_mention", channel: "CQ" }, teamId: "TQUERY" }),
    };
    events.slack = { ...events.slack, receivedat: "2026-03-04T11:00:00.000Z" } as GatewayEvent;
    expect(events.newPush?.source).toBe(source);
    for (const event of Object.values(events)) expect(await store.put(event)).toBe(true);
  });

  test("a second put of the same id is refused (first write wins)", async () => {
    const changed = { ...events.issue, type: "com.github.issues.edited" } as GatewayEvent;

    expect(await store.put(changed)).toBe(false);
    expect((await store.getEvent(changed.id))?.type).toBe("com.github.issues.opened");
  });

  test("a reprocessing run is not archived with the event (a later plain replay must not carry it)", async () => {
    const event = githubEvent({ name: "push", payload: githubExample("push") });

    expect(await store.put({ ...event, reprocess: "r1a2b3" } as GatewayEvent)).toBe(true);

    expect((await store.getEvent(event.id))?.event).toEqual(event);
  });

  test("an event whose JSON is over an item's limit but compresses under it is kept whole", async () => {
    const large = githubEvent({
      name: "create",
      payload: { ...githubExample("create"), blob: "x".repeat(500 * 1024) },
      receivedAt: new Date("2020-01-02T00:00:00Z"),
    });

    expect(await store.put(large)).toBe(true);
    const archived = await store.getEvent(large.id);

    expect(archived?.truncated).toBeUndefined();
    expect(archived?.event).toEqual(large);
  });

  test("an event too large for an item keeps its envelope and its claim check", async () => {
    const big = githubEvent({
      name: "create",
      // Random bytes do not compress: over 350 KB even as brotli.
      payload: { ...githubExample("create"), blob: randomBytes(400 * 1024).toString("base64") },
      receivedAt: new Date("2020-01-01T00:00:00Z"),
    });
    const dataref = "s3://payloads/events/big.json";

    expect(await store.put(big, { dataref })).toBe(true);
    const archived = await store.getEvent(big.id);

    const { data: _data, ...envelope } = big;
    expect(archived).toMatchObject({ id: big.id, truncated: true, dataref, event: envelope });
  });

  test("by type, newest first", async () => {
    const found = await store.listEvents({ type: "com.github.push" });

    expect(found.map((event) => event.id)).toEqual([events.newPush?.id, events.oldPush?.id]);
  });

  test("by source, newest first, with a limit and a time range", async () => {
    const source = "https://github.com/query/repo";

    expect((await store.listEvents({ source })).map((event) => event.id)).toEqual([
      events.newPush?.id,
      events.issue?.id,
      events.oldPush?.id,
    ]);
    expect((await store.listEvents({ source, limit: 1 })).map((event) => event.id)).toEqual([
      events.newPush?.id,
    ]);
    expect(
      (await store.listEvents({ source, from: "2026-03-02T00:00:00Z", to: "2026-03-04T00:00:00Z" })).map(
        (e) => e.id,
      ),
    ).toEqual([events.issue?.id]);
  });

  test("type and source together, and wildcard types", async () => {
    const source = "https://github.com/query/repo";

    expect((await store.listEvents({ type: "com.github.issues.opened", source })).map((e) => e.id)).toEqual([
      events.issue?.id,
    ]);
    expect(
      (await store.listEvents({ type: "com.github.*", source: "https://github.com/query/*" })).map(
        (e) => e.id,
      ),
    ).toEqual([events.newPush?.id, events.issue?.id, events.oldPush?.id]);
  });

  test("one index, by day, projecting only the keys and the summary attributes", async () => {
    const { Table } = await bench.ddb.send(new DescribeTableCommand({ TableName: queryTable }));
    const projections = Object.fromEntries(
      (Table?.GlobalSecondaryIndexes ?? []).map((index) => [
        index.IndexName,
        [index.Projection?.ProjectionType, [...(index.Projection?.NonKeyAttributes ?? [])].sort()],
      ]),
    );

    expect(projections).toEqual({
      "by-day": ["INCLUDE", ["source", "subject", "time", "type"]],
    });
    const { Items } = await bench.ddb.send(
      new QueryCommand({
        TableName: queryTable,
        IndexName: "by-day",
        KeyConditionExpression: "#d = :d",
        ExpressionAttributeNames: { "#d": "day" },
        ExpressionAttributeValues: { ":d": { S: "2026-03-03" } },
      }),
    );
    expect(Items?.map((item) => Object.keys(item).sort())).toEqual([
      ["day", "id", "receivedat", "source", "subject", "time", "type"],
    ]);
  });

  test("without a filter: the recent days, newest first", async () => {
    const found = await store.listEvents({ from: "2026-03-01T00:00:00Z" });

    expect(found.map((event) => event.id)).toEqual([
      events.newPush?.id,
      events.slack?.id,
      events.issue?.id,
      events.oldPush?.id,
    ]);
    expect((await store.listEvents({ from: "2026-03-04T00:00:00Z", limit: 10 })).map((e) => e.id)).toEqual([
      events.newPush?.id,
      events.slack?.id,
    ]);
  });
});

test("processingState tells a record in progress from one completed or absent", async () => {
  const queue = await createQueuePair(bench.sqs);
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const counter = countingConsumer({ name: "slow" });
  const inner = counter.consumer.handler;
  counter.consumer.handler = async (event, context) => {
    await gate;
    await inner(event, context);
  };
  const running = await bench.run(counter.consumer, queue);
  const event = githubEvent({ name: "issues", payload: githubExample("issues", "opened") });

  await sendEvent(bench.sqs, queue.queueUrl, event);
  await waitFor(
    async () =>
      (await processingState(bench.ddb, bench.idempotencyTable, "slow", event.id)).status === "INPROGRESS",
    "the record in progress",
  );
  const inProgress = await processingState(bench.ddb, bench.idempotencyTable, "slow", event.id);
  release();
  await waitFor(() => running.count("processed") === 1, "the record completed");
  await waitFor(
    async () => (await queueDepth(bench.sqs, queue.queueUrl)).inFlight === 0,
    "the message deleted",
  );

  expect(Date.parse(inProgress.inProgressUntil ?? "")).toBeGreaterThan(Date.now());
  expect(await processingState(bench.ddb, bench.idempotencyTable, "slow", event.id)).toMatchObject({
    status: "COMPLETED",
  });
  expect((await processingState(bench.ddb, bench.idempotencyTable, "other", event.id)).status).toBe("ABSENT");
  const expires = Date.parse(
    (await processingState(bench.ddb, bench.idempotencyTable, "slow", event.id)).expiresAt ?? "",
  );
  expect(expires - Date.now()).toBeGreaterThan(604_800_000 - 60_000);
});
