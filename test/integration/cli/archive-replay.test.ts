import { ReceiveMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
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
  await expect(run(["--consumer", "github", "--limit", "5000"])).rejects.toThrow("--limit must be 1 to 1000");
  await expect(
    archiveCommand(["replay", "--consumer", "github", "--local-endpoint", endpoint], {}),
  ).rejects.toThrow("--local-endpoint and --dynamodb-endpoint go together");
});
