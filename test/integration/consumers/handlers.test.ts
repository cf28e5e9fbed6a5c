/**
 * The Lambda entry points and the registry the local runtime uses: configuration read from the
 * environment at load, the handler working end to end against the emulators.
 */
import { randomUUID } from "node:crypto";
import { registerGitHubListeners } from "../../../listeners/github";
import { registerSlackListeners } from "../../../listeners/slack";
import { ArchiveStore } from "../../../src/consumers/archive-store";
import { loadConsumerLambdaConfig } from "../../../src/consumers/config";
import { shippedConsumers } from "../../../src/consumers/registry";
import { createArchiveTable } from "../../../src/consumers/tables";
import type { SqsConsumerHandler } from "../../../src/consumers/types";
import { TEST_CREDENTIALS } from "../../helpers/emulators";
import { githubEvent, githubExample, lambdaContext, sqsEvent, sqsRecord } from "../../helpers/factories";
import { type Bench, startBench } from "./support/harness";

let bench: Bench;
const saved = { ...process.env };

beforeAll(async () => {
  bench = await startBench();
});

afterEach(() => {
  process.env = { ...saved };
});

afterAll(async () => {
  await bench.stop();
});

test("the registry lists the four shipped consumers, their filters and what each one lacks", () => {
  const config = loadConsumerLambdaConfig({ IDEMPOTENCY_TABLE: "idempotency", ARCHIVE_TABLE: "archive" });

  const listeners = { github: registerGitHubListeners, slack: registerSlackListeners };

  const consumers = shippedConsumers({ config, ddb: bench.ddb, listeners });

  expect(consumers.map(({ name, filter, missing }) => ({ name, filter, missing }))).toEqual([
    { name: "archive", filter: {}, missing: [] },
    {
      name: "github",
      // The events listeners/github.ts registers for.
      filter: {
        types: [
          "com.github.pull_request.opened",
          "com.github.issues.opened",
          "com.github.push",
          "com.github.push.*",
        ],
      },
      missing: [],
    },
    { name: "slack", filter: { types: ["com.slack.*"] }, missing: ["SLACK_BOT_TOKEN"] },
    {
      name: "notifier",
      filter: {
        types: [
          "com.github.pull_request.opened",
          "com.github.pull_request.closed",
          "com.github.issues.opened",
          "com.github.release.published",
          "com.github.workflow_run.completed",
        ],
      },
      missing: ["NOTIFY_SLACK_CHANNEL", "SLACK_BOT_TOKEN"],
    },
  ]);
  expect(() => consumers[2]?.createHandler()).toThrow(/SLACK_BOT_TOKEN/);
});

test("handlers/consumers/archive.ts archives end to end, reaching DynamoDB through the SDK endpoint variables", async () => {
  const archiveTable = `archive-${randomUUID().slice(0, 8)}`;
  await createArchiveTable(bench.ddb, archiveTable);
  process.env = {
    ...saved,
    IDEMPOTENCY_TABLE: bench.idempotencyTable,
    ARCHIVE_TABLE: archiveTable,
    CONSUMER_NAME: "archive-lambda",
    AWS_ENDPOINT_URL_DYNAMODB: bench.dynamoEndpoint,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    POWERTOOLS_METRICS_DISABLED: "true",
    POWERTOOLS_LOG_LEVEL: "SILENT",
  };
  let handler: SqsConsumerHandler | undefined;
  jest.isolateModules(() => {
    handler = require("../../../handlers/consumers/archive").handler;
  });
  const event = githubEvent({ name: "issues", payload: githubExample("issues", "opened") });

  const first = await handler?.(sqsEvent([sqsRecord(event)]), lambdaContext({ functionName: "archive" }));
  const second = await handler?.(sqsEvent([sqsRecord(event)]), lambdaContext({ functionName: "archive" }));

  expect(first).toEqual({ batchItemFailures: [] });
  expect(second).toEqual({ batchItemFailures: [] });
  expect((await new ArchiveStore(bench.ddb, archiveTable).getEvent(event.id))?.event).toEqual(event);
});

test.each(["archive", "github", "slack", "notifier"])(
  "handlers/consumers/%s.ts fails at load when misconfigured",
  (name) => {
    process.env = { ...saved, IDEMPOTENCY_TABLE: "" };

    expect(() => jest.isolateModules(() => require(`../../../handlers/consumers/${name}`))).toThrow(
      /IDEMPOTENCY_TABLE/,
    );
  },
);
