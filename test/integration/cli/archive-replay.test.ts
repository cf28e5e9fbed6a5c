import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { BatchWriteCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { archiveCommand } from "../../../src/cli/commands/archive";
import { defaultConsumers } from "../../../src/config/gateway-config";
import { ArchiveStore, createArchiveTable } from "../../../src/consumers";
import type { GatewayEvent } from "../../../src/contract/event";
import { createLocalQueues, type LocalQueue } from "../../../src/local/resources";
import { type Fauxqs, startDynamo, startSqs } from "../../helpers/emulators";
import { githubEvent, githubExample } from "../../helpers/factories";

let server: Fauxqs;
let endpoint: string;
let sqs: SQSClient;
let dynamo: Awaited<ReturnType<typeof startDynamo>>;
let queues: LocalQueue[];
let events: GatewayEvent[];
let out: string[];

beforeEach(async () => {
  ({ server, endpoint, sqs } = await startSqs());
  dynamo = await startDynamo();
  queues = await createLocalQueues(sqs, defaultConsumers());
  await createArchiveTable(dynamo.ddb, "archive");
  const archive = new ArchiveStore(dynamo.ddb, "archive");
  events = [
    githubEvent({
      name: "push",
      payload: githubExample("push"),
      delivery: "d1",
      receivedAt: new Date("2026-01-01T10:00:00Z"),
    }),
    githubEvent({
      name: "pull_request",
      payload: githubExample("pull_request", "opened"),
      delivery: "d2",
      receivedAt: new Date("2026-01-01T11:00:00Z"),
    }),
    githubEvent({
      name: "push",
      payload: githubExample("push"),
      delivery: "d3",
      receivedAt: new Date("2026-01-01T12:00:00Z"),
    }),
  ];
  for (const event of events) await archive.put(event);
  out = [];
});
afterEach(async () => {
  sqs.destroy();
  await server.stop();
  await dynamo.stop();
});

const run = (argv: string[]) =>
  archiveCommand(["replay", "--local-endpoint", endpoint, "--dynamodb-endpoint", dynamo.endpoint, ...argv], {
    env: {},
    cwd: "/nonexistent",
    out: (l) => out.push(l),
    err: (l) => out.push(l),
  });

async function received(url: string) {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"] }),
  );
  return Messages.map((m) => ({
    body: JSON.parse(m.Body!),
    attributes: Object.fromEntries(
      Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue]),
    ),
  }));
}

test("sends every matching event, oldest first, as the edge would: the event JSON and its attributes", async () => {
  const code = await run([
    "--consumer",
    "github",
    "--type",
    "com.github.push",
    "--from",
    "2026-01-01T00:00:00Z",
  ]);

  expect(code).toBe(0);
  expect(out).toEqual(["Sent 2 archived events to github."]);
  const attributes = { type: "com.github.push", source: events[0]!.source, provider: "github" };
  expect(await received(queues.find((q) => q.name === "github")!.url)).toEqual([
    { body: events[0], attributes },
    { body: events[2], attributes },
  ]);
});

test("--from/--to bound the window and patterns filter", async () => {
  const code = await run([
    "--consumer",
    "notifier",
    "--type",
    "com.github.*",
    "--from",
    "2026-01-01T10:30:00Z",
    "--to",
    "2026-01-01T11:30:00Z",
  ]);

  expect(code).toBe(0);
  expect((await received(queues.find((q) => q.name === "notifier")!.url)).map((m) => m.body.id)).toEqual([
    "github:d2",
  ]);
});

test("--dry-run counts and sends nothing", async () => {
  const code = await run([
    "--consumer",
    "archive",
    "--from",
    "2026-01-01T00:00:00Z",
    "--to",
    "2026-01-02T00:00:00Z",
    "--dry-run",
  ]);

  expect(code).toBe(0);
  expect(out).toEqual(["3 archived events match; nothing sent (dry run)."]);
  expect(await received(queues.find((q) => q.name === "archive")!.url)).toEqual([]);
});

test("usage mistakes are refused before anything is read", async () => {
  await expect(run(["--type", "x"])).rejects.toThrow("name a consumer");
  await expect(run(["--consumer", "github", "--from", "yesterday"])).rejects.toThrow(
    '--from must be an ISO 8601 time, got "yesterday"',
  );
  await expect(run(["--consumer", "github", "--limit", "0"])).rejects.toThrow(
    "--limit must be a positive integer",
  );
  await expect(
    archiveCommand(["replay", "--consumer", "github", "--local-endpoint", endpoint], {}),
  ).rejects.toThrow("--local-endpoint and --dynamodb-endpoint go together");
});

/** Items as the archive consumer writes them, one second apart from `start`; about 1.2 KB each, so
 * a day holds more than DynamoDB's 1 MB query page. */
function archivedItems(count: number, start: string) {
  return Array.from({ length: count }, (_, i) => {
    const receivedat = new Date(Date.parse(start) + i * 1000).toISOString();
    const event = githubEvent({
      name: "push",
      payload: { ref: "refs/heads/main", repository: { full_name: "octo/hello" }, pad: "x".repeat(1000) },
      delivery: `bulk-${String(i).padStart(4, "0")}`,
      receivedAt: new Date(receivedat),
    });
    const { id, type, source, time } = event;
    return { id, type, source, time, receivedat, day: receivedat.slice(0, 10), event: JSON.stringify(event) };
  });
}

/** Receives and deletes every message of a queue until it is empty. */
async function drainIds(url: string): Promise<string[]> {
  const ids: string[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) return ids;
    ids.push(...Messages.map((m) => (JSON.parse(m.Body!) as { id: string }).id));
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
  }
}

test("replays 2,500 archived events, across days and past any page size, each sent once, oldest first", async () => {
  const items = archivedItems(2500, "2026-02-01T23:30:00Z");
  const doc = DynamoDBDocumentClient.from(dynamo.ddb);
  for (let i = 0; i < items.length; i += 25) {
    await doc.send(
      new BatchWriteCommand({
        RequestItems: { archive: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
  }
  const sentOrder: string[] = [];
  const recording = new Proxy(sqs, {
    get(target, key) {
      if (key !== "send") return Reflect.get(target, key);
      return (command: { input: { MessageBody?: string } }) => {
        if (command.input.MessageBody) sentOrder.push(JSON.parse(command.input.MessageBody).id);
        return target.send(command as never);
      };
    },
  });

  const code = await archiveCommand(
    [
      "replay",
      "--consumer",
      "archive",
      "--local-endpoint",
      endpoint,
      "--dynamodb-endpoint",
      dynamo.endpoint,
      "--from",
      "2026-02-01T00:00:00Z",
      "--to",
      "2026-02-03T00:00:00Z",
    ],
    { env: {}, cwd: "/nonexistent", out: (l) => out.push(l), err: (l) => out.push(l), sqs: recording },
  );

  expect(code).toBe(0);
  expect(out).toEqual(["Sent 2500 archived events to archive."]);
  const expected = items.map((item) => item.id);
  expect(sentOrder).toEqual(expected);
  const received = await drainIds(queues.find((q) => q.name === "archive")!.url);
  expect(received).toHaveLength(2500);
  expect([...received].sort()).toEqual([...expected].sort());
}, 120_000);

test("a single event is counted in the singular", async () => {
  // Without --from a listing covers the archive's retention back from now; these events are older.
  const code = await run([
    "--consumer",
    "github",
    "--type",
    "com.github.pull_request.opened",
    "--from",
    "2026-01-01T00:00:00Z",
    "--dry-run",
  ]);

  expect(code).toBe(0);
  expect(out).toEqual(["1 archived event matches; nothing sent (dry run)."]);
});
