import { CreateTableCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { Octokit } from "@octokit/rest";
import { runScheduledRedelivery, type ScheduledRedeliveryConfig } from "../../../src/redelivery/scheduled";
import { startDynamo } from "../../helpers/emulators";
import { type GithubApiFake, startGithubApiFake } from "../../helpers/github-api-fake";

const PATH = "/repos/octo/hello/hooks/7/deliveries";
const ITEM_ID = `github-redelivery#${PATH}`;
const NOW = Date.parse("2026-01-01T12:00:00Z");

let github: GithubApiFake;
let dynamo: Awaited<ReturnType<typeof startDynamo>>;
let config: ScheduledRedeliveryConfig;

beforeEach(async () => {
  github = await startGithubApiFake();
  dynamo = await startDynamo();
  await dynamo.ddb.send(
    new CreateTableCommand({
      TableName: "redelivery",
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    }),
  );
  config = {
    table: "redelivery",
    target: { kind: "repo", owner: "octo", repo: "hello", hookId: 7 },
    lookbackMs: 60 * 60_000,
    maxAttempts: 3,
  };
});
afterEach(async () => {
  await github.stop();
  await dynamo.stop();
});

const quiet = () => undefined;
const silent = { debug: quiet, info: quiet, warn: quiet, error: quiet };

const run = (now: number) =>
  runScheduledRedelivery({
    github: new Octokit({ auth: "ghp_test", baseUrl: github.apiUrl, log: silent }),
    ddb: dynamo.ddb,
    config,
    now: () => now,
  });

const checkpoint = async () =>
  (
    await DynamoDBDocumentClient.from(dynamo.ddb).send(
      new GetCommand({ TableName: "redelivery", Key: { id: ITEM_ID } }),
    )
  ).Item;

test("the first run looks back the lookback window, redelivers, and stores its start as checkpoint", async () => {
  const [, recent] = github.addDeliveries(PATH, [
    { guid: "old", delivered_at: "2026-01-01T10:30:00Z", status_code: 500 },
    { guid: "recent", delivered_at: "2026-01-01T11:30:00Z", status_code: 500 },
  ]);

  const result = await run(NOW);

  expect(result.since).toBe("2026-01-01T11:00:00.000Z");
  expect(github.writes().map((r) => r.path)).toEqual([`${PATH}/${recent!.id}/attempts`]);
  expect(await checkpoint()).toEqual({
    id: ITEM_ID,
    checkpoint: "2026-01-01T12:00:00.000Z",
    requested: 1,
    failures: 0,
    exhausted: 0,
  });
});

test("after missed runs the window reaches back to the last checkpoint", async () => {
  await DynamoDBDocumentClient.from(dynamo.ddb).send(
    new PutCommand({
      TableName: "redelivery",
      Item: { id: ITEM_ID, checkpoint: "2026-01-01T06:00:00.000Z" },
    }),
  );
  const [missed] = github.addDeliveries(PATH, [
    { guid: "missed", delivered_at: "2026-01-01T07:00:00Z", status_code: 502 },
    { guid: "before", delivered_at: "2026-01-01T05:00:00Z", status_code: 502 },
  ]);

  const result = await run(NOW);

  expect(result.since).toBe("2026-01-01T06:00:00.000Z");
  expect(github.writes().map((r) => r.path)).toEqual([`${PATH}/${missed!.id}/attempts`]);
  expect((await checkpoint())!.checkpoint).toBe("2026-01-01T12:00:00.000Z");
});

test("a listing failure stores no checkpoint", async () => {
  config.target = { kind: "repo", owner: "octo", repo: "hello", hookId: 404 };

  await expect(run(NOW)).rejects.toThrow("Not Found");
  expect(await checkpoint()).toBeUndefined();
});
