/**
 * Reprocessing on purpose: `archive replay --reprocess` runs a consumer exactly once more on
 * events it already processed (a new idempotency scope per run, idempotent within the run), counts
 * the run on the archived event; a replay without it runs nothing.
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { archiveCommand } from "../../../src/cli/commands/archive";
import { defaultConsumers } from "../../../src/config/gateway-config";
import {
  ArchiveStore,
  createArchiveTable,
  createConsumerHandler,
  createIdempotencyTable,
  type SqsConsumerHandler,
} from "../../../src/consumers";
import type { GatewayEvent } from "../../../src/contract/event";
import { createLambdaContext } from "../../../src/local/lambda/lambda-context";
import { recordFromMessage } from "../../../src/local/lambda/sqs-record";
import { createLocalQueues, type LocalQueue } from "../../../src/local/resources";
import { type Fauxqs, startDynamo, startSqs } from "../../helpers/emulators";
import { githubEvent, githubExample } from "../../helpers/factories";
import { quietObservability } from "../consumers/support/harness";

let server: Fauxqs;
let endpoint: string;
let sqs: SQSClient;
let dynamo: Awaited<ReturnType<typeof startDynamo>>;
let queue: LocalQueue;
let archive: ArchiveStore;
let events: GatewayEvent[];
let runs: { id: string; reprocess: unknown }[];
let handler: SqsConsumerHandler;
let out: string[];

beforeEach(async () => {
  ({ server, endpoint, sqs } = await startSqs());
  dynamo = await startDynamo();
  queue = (await createLocalQueues(sqs, defaultConsumers())).find((q) => q.name === "github")!;
  await createArchiveTable(dynamo.ddb, "archive");
  await createIdempotencyTable(dynamo.ddb, "idempotency");
  archive = new ArchiveStore(dynamo.ddb, "archive");
  events = ["r1", "r2"].map((delivery, i) =>
    githubEvent({
      name: "push",
      payload: githubExample("push"),
      delivery,
      receivedAt: new Date(Date.UTC(2026, 0, 1, 10 + i)),
    }),
  );
  for (const event of events) await archive.put(event);
  runs = [];
  out = [];
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

const replay = (...extra: string[]) =>
  archiveCommand(
    [
      "replay",
      "--consumer",
      "github",
      "--from",
      "2026-01-01T00:00:00Z",
      "--local-endpoint",
      endpoint,
      "--dynamodb-endpoint",
      dynamo.endpoint,
      ...extra,
    ],
    { env: {}, cwd: "/nonexistent", out: (l) => out.push(l), err: (l) => out.push(l) },
  );

const sorted = (list: typeof runs) => [...list].sort((a, b) => a.id.localeCompare(b.id));

/** Receives what the replay queued and runs it through the consumer, `times` over (SQS duplicates). */
async function consume(times = 1): Promise<number> {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queue.url,
      MaxNumberOfMessages: 10,
      MessageAttributeNames: ["All"],
      AttributeNames: ["All"],
    }),
  );
  const records = Messages.map((m) =>
    recordFromMessage(m, { queueArn: "arn:aws:sqs:us-east-1:000000000000:github", region: "us-east-1" }),
  );
  for (let i = 0; i < times; i++) {
    await handler({ Records: records }, createLambdaContext({ functionName: "github", timeoutMs: 30_000 }));
  }
  if (Messages.length > 0) {
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  }
  return Messages.length;
}

test("--reprocess runs the consumer exactly once more; a replay without it runs nothing", async () => {
  await replay();
  await consume();
  expect(sorted(runs)).toEqual([
    { id: "github:r1", reprocess: undefined },
    { id: "github:r2", reprocess: undefined },
  ]);

  expect(await replay("--reprocess")).toBe(0);
  const run = /^Reprocessing run (r[a-z0-9]+): github runs each event once more\.$/.exec(out.at(-1)!)?.[1];
  expect(run).toBeDefined();
  // Twice over: an SQS duplicate within the run is still a duplicate.
  expect(await consume(2)).toBe(2);
  expect(sorted(runs.slice(2))).toEqual([
    { id: "github:r1", reprocess: run },
    { id: "github:r2", reprocess: run },
  ]);
  expect((await archive.getEvent("github:r1"))?.reprocess).toEqual({
    count: 1,
    lastRun: run,
    lastConsumer: "github",
    lastAt: expect.any(String),
  });

  await replay();
  expect(await consume()).toBe(2);
  expect(runs).toHaveLength(4);
});

test("each --reprocess run is a new scope, counted on the archived event", async () => {
  await replay("--reprocess");
  await consume();
  await replay("--reprocess");
  await consume();

  expect(runs.map((r) => r.id).sort()).toEqual(["github:r1", "github:r1", "github:r2", "github:r2"]);
  expect(new Set(runs.map((r) => r.reprocess)).size).toBe(2);
  expect((await archive.getEvent("github:r2"))?.reprocess?.count).toBe(2);
});
