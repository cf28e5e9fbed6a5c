/**
 * The local runtime's edge queue: sends to one queue in the same turn go out as SendMessageBatch
 * requests to fauxqs, and each send is answered by its own entry's fate.
 */
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  type Message,
  type SendMessageBatchCommandOutput,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { deadlineIn, type OutboundMessage } from "../../../src/edge/ports";
import { BatchEntryError, BatchingSqsQueue } from "../../../src/local/batching-queue";
import { type Fauxqs, startSqs } from "../../helpers/emulators";
import { receiveAll } from "../../helpers/sqs-queues";

let fauxqs: Fauxqs;
let sqs: SQSClient;
/** Every SQS command the client sent, by name. */
let commands: string[];

beforeAll(async () => {
  const started = await startSqs();
  fauxqs = started.server;
  sqs = started.sqs;
  sqs.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push(context.commandName as string);
      return next(args);
    },
    { step: "initialize", name: "count-commands" },
  );
});

afterAll(async () => {
  sqs.destroy();
  await fauxqs.stop();
});

beforeEach(() => {
  commands = [];
});

let queues = 0;
async function createQueue(fifo = false): Promise<string> {
  const name = `batching-${++queues}${fifo ? ".fifo" : ""}`;
  const attributes: Record<string, string> = { MaximumMessageSize: "1048576" };
  if (fifo) attributes.FifoQueue = "true";
  const output = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  commands = [];
  return output.QueueUrl as string;
}

function message(queueUrl: string, body: string, fifo?: { groupId: string; id: string }): OutboundMessage {
  return {
    queueUrl,
    body,
    attributes: { type: "github.push", source: "https://github.com/octo/hello", provider: "github" },
    groupId: fifo?.groupId,
    deduplicationId: fifo?.id,
  };
}

test("25 sends in one turn: three SendMessageBatch requests, every message queued once with its attributes", async () => {
  const queueUrl = await createQueue();
  const queue = new BatchingSqsQueue(sqs);
  const bodies = Array.from({ length: 25 }, (_, i) => JSON.stringify({ n: i }));
  await Promise.all(bodies.map((body) => queue.send(message(queueUrl, body), deadlineIn(5000))));
  expect(commands).toEqual(["SendMessageBatchCommand", "SendMessageBatchCommand", "SendMessageBatchCommand"]);
  commands = [];
  const received = await receiveAll(sqs, queueUrl);
  expect(received.map((m) => m.Body).sort()).toEqual([...bodies].sort());
  expect(received[0]!.MessageAttributes).toEqual({
    type: { DataType: "String", StringValue: "github.push" },
    source: { DataType: "String", StringValue: "https://github.com/octo/hello" },
    provider: { DataType: "String", StringValue: "github" },
  });
});

test("sends to two queues in one turn go out as one request per queue", async () => {
  const [a, b] = [await createQueue(), await createQueue()];
  const queue = new BatchingSqsQueue(sqs);
  await Promise.all([
    queue.send(message(a, "a1"), deadlineIn(5000)),
    queue.send(message(b, "b1"), deadlineIn(5000)),
    queue.send(message(a, "a2"), deadlineIn(5000)),
  ]);
  expect(commands).toEqual(["SendMessageBatchCommand", "SendMessageBatchCommand"]);
  expect((await receiveAll(sqs, a)).map((m) => m.Body).sort()).toEqual(["a1", "a2"]);
  expect((await receiveAll(sqs, b)).map((m) => m.Body)).toEqual(["b1"]);
});

test("sends in separate turns are not held back for each other", async () => {
  const queueUrl = await createQueue();
  const queue = new BatchingSqsQueue(sqs);
  await queue.send(message(queueUrl, "first"), deadlineIn(5000));
  await queue.send(message(queueUrl, "second"), deadlineIn(5000));
  expect(commands).toEqual(["SendMessageBatchCommand", "SendMessageBatchCommand"]);
});

test("a batch stays within SQS's 1 MiB per request: three 400 KB messages take two requests", async () => {
  const queueUrl = await createQueue();
  const queue = new BatchingSqsQueue(sqs);
  const bodies = ["a", "b", "c"].map((c) => c.repeat(400_000));
  await Promise.all(bodies.map((body) => queue.send(message(queueUrl, body), deadlineIn(5000))));
  expect(commands).toEqual(["SendMessageBatchCommand", "SendMessageBatchCommand"]);
  expect((await receiveAll(sqs, queueUrl)).map((m) => m.Body?.length)).toEqual([400_000, 400_000, 400_000]);
});

test("FIFO: a group's messages keep their order, with their group and deduplication ids", async () => {
  const queueUrl = await createQueue(true);
  const queue = new BatchingSqsQueue(sqs);
  const ids = ["e1", "e2", "e3", "e4"];
  await Promise.all(
    ids.map((id) => queue.send(message(queueUrl, id, { groupId: "octo/hello", id }), deadlineIn(5000))),
  );
  // A group's next message is handed out once the one before it is deleted.
  const received: Message[] = [];
  for (let i = 0; i < ids.length; i++) {
    const [next] = await receiveAll(sqs, queueUrl);
    received.push(next!);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: next!.ReceiptHandle }));
  }
  expect(received.map((m) => m.Body)).toEqual(ids);
  expect(received.map((m) => m.Attributes?.MessageGroupId)).toEqual(ids.map(() => "octo/hello"));
  expect(received.map((m) => m.Attributes?.MessageDeduplicationId)).toEqual(ids);
});

test("an entry SQS refuses rejects only its own send; a failed request rejects every send in it", async () => {
  const queueUrl = await createQueue();
  const name = "refuse-second-entry";
  let failWhole = false;
  sqs.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== "SendMessageBatchCommand") return next(args);
      if (failWhole) throw Object.assign(new Error("Service Unavailable"), { name: "ServiceUnavailable" });
      const input = args.input as { Entries: { Id: string; MessageBody: string }[] };
      const refused = input.Entries[1]!;
      input.Entries = input.Entries.filter((entry) => entry !== refused);
      const result = await next(args);
      const output = result.output as SendMessageBatchCommandOutput;
      output.Failed = [{ Id: refused.Id, SenderFault: true, Code: "InvalidMessageContents", Message: "bad" }];
      return result;
    },
    { step: "initialize", name },
  );
  try {
    const queue = new BatchingSqsQueue(sqs);
    const results = await Promise.allSettled(
      ["one", "two", "three"].map((body) => queue.send(message(queueUrl, body), deadlineIn(5000))),
    );
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const reason = (results[1] as PromiseRejectedResult).reason;
    expect(reason).toBeInstanceOf(BatchEntryError);
    expect((reason as Error).message).toBe("SQS refused the message: InvalidMessageContents bad");
    expect((await receiveAll(sqs, queueUrl)).map((m) => m.Body).sort()).toEqual(["one", "three"]);

    failWhole = true;
    const whole = await Promise.allSettled(
      ["four", "five"].map((body) => queue.send(message(queueUrl, body), deadlineIn(5000))),
    );
    expect(whole.map((r) => (r.status === "rejected" ? (r.reason as Error).message : "ok"))).toEqual([
      "Service Unavailable",
      "Service Unavailable",
    ]);
  } finally {
    sqs.middlewareStack.remove(name);
  }
});
