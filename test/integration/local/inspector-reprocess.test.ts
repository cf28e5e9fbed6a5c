/**
 * The inspector's *Reprocess*, on the emulators: the mechanism of `archive replay --reprocess` (a
 * run of its own in the `reprocess` extension, counted in the archive), to that consumer's queue
 * only; the original idempotency record is left as it was. An event not archived yet is rebuilt
 * from the journal's memory.
 */
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { defaultConsumers } from "../../../src/config/gateway-config";
import {
  ArchiveStore,
  createArchiveTable,
  createConsumerHandler,
  createIdempotencyTable,
  processingState,
  type SqsConsumerHandler,
} from "../../../src/consumers";
import { archivedEventMessage, sendMessageInput } from "../../../src/consumers/queue-message";
import type { GatewayEvent } from "../../../src/contract/event";
import type { Outcome } from "../../../src/edge/gateway";
import {
  ActionTargetNotFoundError,
  createReprocessor,
  type Reprocessor,
} from "../../../src/local/inspector/actions";
import { NotReplayableError } from "../../../src/local/inspector/delivery-request";
import { Journal } from "../../../src/local/inspector/journal";
import { createLambdaContext } from "../../../src/local/lambda/lambda-context";
import { recordFromMessage } from "../../../src/local/lambda/sqs-record";
import { createLocalQueues, type LocalQueue } from "../../../src/local/resources";
import { type Fauxqs, startDynamo, startSqs } from "../../helpers/emulators";
import { githubEvent, githubExample } from "../../helpers/factories";
import { quietObservability } from "../consumers/support/harness";

let server: Fauxqs;
let sqs: SQSClient;
let dynamo: Awaited<ReturnType<typeof startDynamo>>;
let queues: LocalQueue[];
let archive: ArchiveStore;
let journal: Journal;
let reprocessor: Reprocessor;
let runs: { id: string; reprocess: unknown }[];
let handler: SqsConsumerHandler;

const queue = (name: string) => queues.find((q) => q.consumer.name === name)!;
const push = (delivery: string) =>
  githubEvent({ name: "push", payload: githubExample("push"), delivery, receivedAt: new Date() });

beforeEach(async () => {
  ({ server, sqs } = await startSqs());
  dynamo = await startDynamo();
  queues = await createLocalQueues(sqs, defaultConsumers());
  await createArchiveTable(dynamo.ddb, "archive");
  await createIdempotencyTable(dynamo.ddb, "idempotency");
  archive = new ArchiveStore(dynamo.ddb, "archive");
  journal = new Journal();
  reprocessor = createReprocessor({ sqs, queues, source: { journal, archive } });
  runs = [];
  handler = createConsumerHandler(
    {
      name: "github",
      filter: {},
      handler: async (event) => void runs.push({ id: event.id, reprocess: event.reprocess }),
    },
    { ddb: dynamo.ddb, idempotencyTable: "idempotency", ...quietObservability() },
  );
});

afterEach(async () => {
  sqs.destroy();
  await server.stop();
  await dynamo.stop();
});

/** Receives what a queue holds (deleting it) and, for github, runs it through the consumer `times` over. */
async function consume(name: string, times = 1): Promise<number> {
  const { url } = queue(name);
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: 10,
      MessageAttributeNames: ["All"],
      AttributeNames: ["All"],
    }),
  );
  const records = Messages.map((m) =>
    recordFromMessage(m, { queueArn: `arn:aws:sqs:us-east-1:000000000000:${name}`, region: "us-east-1" }),
  );
  for (let i = 0; name === "github" && i < times; i++) {
    await handler({ Records: records }, createLambdaContext({ functionName: "github", timeoutMs: 30_000 }));
  }
  if (Messages.length > 0) {
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  }
  return Messages.length;
}

/** The event's first delivery to the github consumer, as the edge queued it. */
async function deliver(event: GatewayEvent): Promise<void> {
  const { url, consumer } = queue("github");
  const message = archivedEventMessage({ event })!;
  await sqs.send(new SendMessageCommand(sendMessageInput(message, { url, fifo: consumer.fifo })));
  expect(await consume("github")).toBe(1);
}

test("a run the archive fails to count is still reported as queued (clicked again, it would run twice more)", async () => {
  const event = push("d-count");
  await archive.put(event);
  await deliver(event);
  const failing = Object.create(archive) as typeof archive;
  failing.recordReprocess = async () => {
    throw new Error("dynamodb down");
  };
  const counting = createReprocessor({ sqs, queues, source: { journal, archive: failing } });

  const result = await counting.reprocess(event.id, "github");

  expect(result).toEqual({ run: expect.stringMatching(/^r[a-z0-9]+$/), counted: false });
  expect(await consume("github")).toBe(1);
  expect(runs.map((r) => r.reprocess)).toEqual([undefined, result.run]);
});

test("runs the consumer exactly once more, counts the run in the archive and keeps the original record", async () => {
  const event = push("d-1");
  await archive.put(event);
  await deliver(event);
  const original = await processingState(dynamo.ddb, "idempotency", "github", event.id);
  expect(original.status).toBe("COMPLETED");

  const { run } = await reprocessor.reprocess(event.id, "github");

  // Twice over: an SQS duplicate of the run is still a duplicate.
  expect(await consume("github", 2)).toBe(1);
  expect(runs).toEqual([
    { id: event.id, reprocess: undefined },
    { id: event.id, reprocess: run },
  ]);
  expect(run).toMatch(/^r[a-z0-9]+$/);
  expect((await archive.getEvent(event.id))?.reprocess).toEqual({
    count: 1,
    lastRun: run,
    lastConsumer: "github",
    lastAt: expect.any(String),
  });
  expect(await processingState(dynamo.ddb, "idempotency", "github", event.id)).toEqual(original);
  // That consumer's queue only.
  for (const other of ["archive", "slack", "notifier"]) expect(await consume(other)).toBe(0);
});

test("on a FIFO queue, a run right after the event is not dropped as its copy", async () => {
  const fifo = defaultConsumers().map((c) => (c.name === "github" ? { ...c, fifo: true } : c));
  queues = await createLocalQueues(sqs, fifo);
  reprocessor = createReprocessor({ sqs, queues, source: { journal, archive } });
  const event = push("d-6");
  await archive.put(event);
  await deliver(event);

  const { run } = await reprocessor.reprocess(event.id, "github");

  expect(queue("github").url).toMatch(/\.fifo$/);
  expect(await consume("github")).toBe(1);
  expect(runs).toEqual([
    { id: event.id, reprocess: undefined },
    { id: event.id, reprocess: run },
  ]);
});

test("each reprocess is a run of its own", async () => {
  const event = push("d-2");
  await archive.put(event);

  const first = await reprocessor.reprocess(event.id, "github");
  await consume("github");
  const second = await reprocessor.reprocess(event.id, "github");
  await consume("github");

  expect(second.run).not.toBe(first.run);
  expect(runs.map((r) => r.reprocess)).toEqual([first.run, second.run]);
  expect((await archive.getEvent(event.id))?.reprocess?.count).toBe(2);
});

test("an event not archived yet is rebuilt from memory, with the run", async () => {
  const event = push("d-3");
  const { data, ...attributes } = event;
  const outcome: Outcome = {
    status: "queued",
    provider: "github",
    event: { attributes, dataJson: JSON.stringify(data), groupKey: "Codertocat/Hello-World" },
    eventId: event.id,
    queues: ["github"],
    claimChecked: false,
    unrouted: false,
  };
  journal.recordEdge(outcome, undefined, Date.now());

  const { run } = await reprocessor.reprocess(event.id, "github");

  expect(await consume("github")).toBe(1);
  expect(runs).toEqual([{ id: event.id, reprocess: run }]);
  // Nothing to count: the archive does not hold the event.
  expect(await archive.getEvent(event.id)).toBeUndefined();
});

test("an unknown event or consumer is not found; an event nothing can rebuild is not replayable", async () => {
  const event = push("d-4");
  const { data: _data, ...envelope } = event;
  await archive.put(event);

  await expect(reprocessor.reprocess("github:nope", "github")).rejects.toThrow(ActionTargetNotFoundError);
  await expect(reprocessor.reprocess(event.id, "nope")).rejects.toThrow(ActionTargetNotFoundError);

  // Archived without its data and without a claim check, and not in memory.
  const truncated = { ...envelope, id: "github:d-5" };
  const stub = { getEvent: async () => ({ event: truncated, truncated: true }) };
  const blind = createReprocessor({
    sqs,
    queues,
    source: { journal, archive: stub as unknown as ArchiveStore },
  });
  await expect(blind.reprocess(truncated.id, "github")).rejects.toThrow(NotReplayableError);
  expect(await consume("github")).toBe(0);
});
