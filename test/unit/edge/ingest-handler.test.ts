import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { readIngestLimits } from "../../../src/edge/config";
import type { Outcome } from "../../../src/edge/gateway";
import { createIngestHandler } from "../../../src/edge/ingest-handler";
import type { OutboundMessage } from "../../../src/edge/ports";
import { signGitHub } from "../../../src/edge/signatures/github";
import { functionUrlEvent } from "../../helpers/function-url";

const SECRET = "test-github-secret";
const context = { functionName: "ingest", awsRequestId: "req-1" } as unknown as Context;

function setUp() {
  const queued: OutboundMessage[] = [];
  const outcomes: Outcome[] = [];
  const metrics = new Metrics({ namespace: "Test", serviceName: "test" });
  const published = jest.spyOn(metrics, "publishStoredMetrics").mockReturnThis();
  const handler = createIngestHandler({
    config: {
      ...readIngestLimits({}),
      routes: [{ name: "archive", queueUrl: "https://sqs.example/archive" }],
      secrets: { github: { from: "env", values: [SECRET] } },
      claimCheckBucket: undefined,
    },
    clients: { sqs: new SQSClient({ region: "us-east-1" }) },
    logger: new Logger({ logLevel: "SILENT" }),
    metrics,
    onOutcome: (outcome) => outcomes.push(outcome),
    app: { queue: { send: async (message) => void queued.push(message) } },
  });
  const invoke = async (headers: Record<string, string>, body: string) =>
    (await handler(
      functionUrlEvent({ path: "/github", headers, body }),
      context,
    )) as APIGatewayProxyStructuredResultV2;
  return { invoke, queued, outcomes, published };
}

test("a signed delivery is queued, reported to onOutcome and its metrics published", async () => {
  const { invoke, queued, outcomes, published } = setUp();
  const body = JSON.stringify({ action: "opened", issue: { number: 1 }, repository: { full_name: "o/r" } });

  const response = await invoke(
    {
      "content-type": "application/json",
      "x-github-event": "issues",
      "x-github-delivery": "d-1",
      "x-hub-signature-256": signGitHub(SECRET, Buffer.from(body)),
    },
    body,
  );

  expect(response.statusCode).toBe(202);
  expect(
    outcomes.map((o) => [
      o.provider,
      o.status,
      o.status === "queued" ? o.eventId : undefined,
      o.status === "queued" ? o.queues : undefined,
    ]),
  ).toEqual([["github", "queued", "github:d-1", ["archive"]]]);
  expect(queued.map((m) => [m.queueUrl, m.attributes.type])).toEqual([
    ["https://sqs.example/archive", "com.github.issues.opened"],
  ]);
  expect(published).toHaveBeenCalledTimes(1);
});

test("a forged delivery is answered 401 and reported as rejected, with nothing queued", async () => {
  const { invoke, queued, outcomes } = setUp();

  const response = await invoke(
    {
      "content-type": "application/json",
      "x-github-event": "push",
      "x-github-delivery": "d-2",
      "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
    },
    "{}",
  );

  expect(response.statusCode).toBe(401);
  expect(outcomes).toEqual([
    expect.objectContaining({ provider: "github", status: "rejected", errorCode: "invalid_signature" }),
  ]);
  expect(queued).toEqual([]);
});
