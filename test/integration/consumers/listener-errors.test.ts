/**
 * Listener errors point at the listener: the consumer fails with the listener's own error (not
 * `@octokit/webhooks`' AggregateError nor Bolt's UnknownError), the runtime's failure line names
 * the file and line that threw, and the archived event keeps the failure (type, message, stack).
 */
import { Webhooks } from "@octokit/webhooks";
import type { Context, SQSRecord } from "aws-lambda";
import {
  ArchiveStore,
  createArchiveTable,
  createConsumerHandler,
  createIdempotencyTable,
} from "../../../src/consumers";
import { createGitHubConsumer } from "../../../src/consumers/github";
import type { RecordOutcome } from "../../../src/consumers/types";
import { createLambdaContext } from "../../../src/local/lambda/lambda-context";
import { recordLine } from "../../../src/local/output";
import { startDynamo } from "../../helpers/emulators";
import { githubEvent, githubExample } from "../../helpers/factories";
import { quietObservability } from "./support/harness";

const THIS_FILE = /test\/integration\/consumers\/listener-errors\.test\.ts:\d+:\d+$/;

function brokenWebhooks(): Webhooks {
  const webhooks = new Webhooks({ secret: "unused" });
  webhooks.on("push", () => {
    throw new TypeError("cannot read properties of undefined (reading 'sha')");
  });
  return webhooks;
}

function record(body: unknown, receiveCount = "1"): SQSRecord {
  return {
    messageId: "m-1",
    receiptHandle: "h-1",
    body: JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: receiveCount,
      SentTimestamp: "0",
      SenderId: "test",
      ApproximateFirstReceiveTimestamp: "0",
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:github",
    awsRegion: "us-east-1",
  };
}

test("the GitHub consumer fails with the listener's own error, which carries no payload", async () => {
  const consumer = createGitHubConsumer(brokenWebhooks());
  const event = githubEvent({ name: "push", payload: githubExample("push"), delivery: "e1" });
  const context = { logger: quietObservability().logger } as never;

  const error = await consumer.handler(event, context).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );

  expect(error).toBeInstanceOf(TypeError);
  expect((error as Error).message).toBe("cannot read properties of undefined (reading 'sha')");
  expect(error).not.toHaveProperty("event");
  expect((error as Error).stack?.split("\n")[1]).toMatch(/listener-errors\.test\.ts/);
});

describe("with the archive as the failure log", () => {
  let dynamo: Awaited<ReturnType<typeof startDynamo>>;
  let archive: ArchiveStore;

  beforeAll(async () => {
    dynamo = await startDynamo();
    await createArchiveTable(dynamo.ddb, "archive");
    await createIdempotencyTable(dynamo.ddb, "idempotency");
    archive = new ArchiveStore(dynamo.ddb, "archive");
  });

  afterAll(async () => {
    await dynamo.stop();
  });

  test("the failure line names the listener's file and line, and the archived event keeps the error", async () => {
    const outcomes: RecordOutcome[] = [];
    const handler = createConsumerHandler(createGitHubConsumer(brokenWebhooks()), {
      ddb: dynamo.ddb,
      idempotencyTable: "idempotency",
      failureLog: archive,
      onOutcome: (outcome) => outcomes.push(outcome),
      ...quietObservability(),
    });
    const event = githubEvent({ name: "push", payload: githubExample("push"), delivery: "e2" });
    await archive.put(event);
    const context: Context = createLambdaContext({ functionName: "github", timeoutMs: 30_000 });

    const response = await handler({ Records: [record(event, "3")] }, context);

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: "m-1" }]);
    const line = recordLine(outcomes[0]!);
    expect(line).toMatch(
      /✗ github failed github:e2: TypeError \(cannot read properties of undefined \(reading 'sha'\)\) at test\/integration\/consumers\/listener-errors\.test\.ts:\d+:\d+$/,
    );
    expect(line).not.toMatch(/AggregateError|node_modules/);
    const failure = (await archive.getEvent("github:e2"))?.failures?.github;
    expect(failure).toEqual({
      type: "TypeError",
      message: "cannot read properties of undefined (reading 'sha')",
      stack: expect.stringContaining("listener-errors.test.ts"),
      origin: expect.stringMatching(THIS_FILE),
      attempt: 3,
      at: expect.any(String),
    });
  });

  test("a failure of an event not archived yet leaves no item behind", async () => {
    const event = githubEvent({ name: "push", payload: githubExample("push"), delivery: "e3" });
    const failure = { type: "Error", message: "early", attempt: 1, at: "2026-01-01T00:00:00Z" };

    expect(await archive.recordFailure(event.id, "github", failure)).toBe(false);
    expect(await archive.getEvent(event.id)).toBeUndefined();
    expect(await archive.put(event)).toBe(true);
    expect(await archive.recordFailure(event.id, "github", { ...failure, attempt: 2 })).toBe(true);
    expect((await archive.getEvent(event.id))?.failures).toEqual({ github: { ...failure, attempt: 2 } });
  });
});
