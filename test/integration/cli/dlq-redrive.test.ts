import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { dlqCommand } from "../../../src/cli/commands/dlq";
import { defaultConsumers } from "../../../src/config/gateway-config";
import { writeEndpointsFile } from "../../../src/local/endpoints-file";
import { createLocalQueues, type LocalQueue } from "../../../src/local/resources";
import { type Fauxqs, startSqs } from "../../helpers/emulators";

let server: Fauxqs;
let endpoint: string;
let sqs: SQSClient;
let queues: LocalQueue[];
let out: string[];

beforeEach(async () => {
  ({ server, endpoint, sqs } = await startSqs());
  queues = await createLocalQueues(sqs, defaultConsumers());
  out = [];
});
afterEach(async () => {
  sqs.destroy();
  await server.stop();
});

const io = () => ({
  env: {},
  cwd: "/nonexistent",
  out: (l: string) => out.push(l),
  err: (l: string) => out.push(l),
});

async function drain(url: string) {
  const bodies: { body: string; type: string | undefined }[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"] }),
    );
    if (Messages.length === 0) return bodies;
    bodies.push(...Messages.map((m) => ({ body: m.Body!, type: m.MessageAttributes?.type?.StringValue })));
  }
}

test("locally, moves every dead letter back to the queue with its attributes, and empties the DLQ", async () => {
  const notifier = queues.find((q) => q.name === "notifier")!;
  for (let i = 0; i < 23; i++) {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: notifier.dlqUrl,
        MessageBody: `{"id":"github:${i}"}`,
        MessageAttributes: { type: { DataType: "String", StringValue: "com.github.push" } },
      }),
    );
  }

  const code = await dlqCommand(["redrive", "notifier", "--local-endpoint", endpoint], io());

  expect(code).toBe(0);
  expect(out).toEqual(["Moved 23 messages from notifier-dlq to notifier."]);
  const moved = await drain(notifier.url);
  expect(moved.map((m) => m.body).sort()).toEqual(
    Array.from({ length: 23 }, (_, i) => `{"id":"github:${i}"}`).sort(),
  );
  expect(moved.every((m) => m.type === "com.github.push")).toBe(true);
  expect(await drain(notifier.dlqUrl)).toEqual([]);
});

test("locally, an empty DLQ moves nothing", async () => {
  const code = await dlqCommand(["redrive", "archive", "--local-endpoint", endpoint], io());

  expect(code).toBe(0);
  expect(out).toEqual(["Moved 0 messages from archive-dlq to archive."]);
});

test("a message the queue refuses stays in the DLQ and the exit code is 1", async () => {
  const archive = queues.find((q) => q.name === "archive")!;
  await sqs.send(new SendMessageCommand({ QueueUrl: archive.dlqUrl, MessageBody: "{}" }));
  await sqs.send(new SendMessageCommand({ QueueUrl: archive.dlqUrl, MessageBody: "{}" }));
  // fauxqs always accepts; a batch answering 200 with a failed entry is the fault to reproduce.
  const send = sqs.send.bind(sqs);
  const faulty = Object.create(sqs) as SQSClient;
  faulty.send = (async (command: unknown) => {
    if (command instanceof SendMessageBatchCommand) {
      const [first, ...rest] = command.input.Entries!;
      const output = await send(new SendMessageBatchCommand({ ...command.input, Entries: rest }));
      return { ...output, Failed: [{ Id: first!.Id, Code: "InternalError", SenderFault: false }] };
    }
    return send(command as never);
  }) as SQSClient["send"];

  const code = await dlqCommand(["redrive", "archive", "--local-endpoint", endpoint], {
    ...io(),
    sqs: faulty,
  });

  expect(code).toBe(1);
  expect(out).toEqual(["Moved 1 messages from archive-dlq to archive; 1 refused, left in the DLQ."]);
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: archive.dlqUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  // The refused one waits out its visibility timeout in the DLQ.
  expect(Attributes).toEqual({
    ApproximateNumberOfMessages: "0",
    ApproximateNumberOfMessagesNotVisible: "1",
  });
  expect(await drain(archive.url)).toEqual([{ body: "{}", type: undefined }]);
});

test("in AWS, starts a message move task from the stage's DLQ to its queue", async () => {
  // fauxqs 1.9.2 does not implement StartMessageMoveTask.
  const mock = mockClient(SQSClient);
  const url = (name: string) => `https://sqs.us-east-1.amazonaws.com/123456789012/${name}`;
  const arn = (name: string) => `arn:aws:sqs:us-east-1:123456789012:${name}`;
  mock.on(GetQueueUrlCommand).callsFake(({ QueueName }) => ({ QueueUrl: url(QueueName) }));
  mock.on(GetQueueAttributesCommand).callsFake(({ QueueUrl }) => ({
    Attributes: { QueueArn: arn(QueueUrl.split("/").pop()), ApproximateNumberOfMessages: "4" },
  }));
  mock.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: "task-1" });
  try {
    const code = await dlqCommand(["redrive", "github", "--stage", "prod"], {
      ...io(),
      sqs: new SQSClient({}),
    });

    expect(code).toBe(0);
    expect(mock.commandCalls(GetQueueUrlCommand).map((c) => c.args[0].input)).toEqual([
      { QueueName: "webhook-gateway-prod-github" },
      { QueueName: "webhook-gateway-prod-github-dlq" },
    ]);
    expect(mock.commandCalls(StartMessageMoveTaskCommand).map((c) => c.args[0].input)).toEqual([
      {
        SourceArn: arn("webhook-gateway-prod-github-dlq"),
        DestinationArn: arn("webhook-gateway-prod-github"),
      },
    ]);
    expect(out).toEqual([
      `Started moving about 4 messages from ${url("webhook-gateway-prod-github-dlq")} to ${url("webhook-gateway-prod-github")}; task task-1`,
    ]);
  } finally {
    mock.restore();
  }
});

test("usage mistakes name the consumers", async () => {
  await expect(dlqCommand(["redrive", "nope", "--local-endpoint", endpoint], io())).rejects.toThrow(
    'unknown consumer "nope" (consumers: archive, github, slack, notifier)',
  );
  await expect(dlqCommand(["redrive"], io())).rejects.toThrow("name a consumer");
  await expect(dlqCommand(["purge", "archive"], io())).rejects.toThrow('unknown action "purge"');
});

describe("--local", () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), "gateway-cli-local-"));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const endpoints = (pid: number) => ({
    pid,
    url: "http://127.0.0.1:1",
    sqs: endpoint,
    s3: endpoint,
    dynamodb: "http://127.0.0.1:2",
  });

  test("finds the running local runtime's SQS endpoint in LOCAL_DATA_DIR/endpoints.json", async () => {
    writeEndpointsFile(dataDir, endpoints(process.pid));
    const archive = queues.find((q) => q.name === "archive")!;
    await sqs.send(new SendMessageCommand({ QueueUrl: archive.dlqUrl, MessageBody: "{}" }));

    const code = await dlqCommand(["redrive", "archive", "--local"], {
      ...io(),
      env: { LOCAL_DATA_DIR: dataDir },
    });

    expect(code).toBe(0);
    expect(out).toEqual(["Moved 1 messages from archive-dlq to archive."]);
  });

  test("refuses an endpoints file left by a runtime that is gone, saying what to do", async () => {
    writeEndpointsFile(dataDir, endpoints(2 ** 22 + 1));

    await expect(
      dlqCommand(["redrive", "archive", "--local"], { ...io(), env: { LOCAL_DATA_DIR: dataDir } }),
    ).rejects.toThrow(
      `no local runtime is running on ${join(dataDir, "endpoints.json")}: start one with npm start (LOCAL_DATA_DIR picks its directory), or pass --local-endpoint`,
    );
  });
});
