/**
 * The consumer handler invoked directly with Lambda-shaped events (factories) against a real
 * idempotency table: FIFO group failure, filtering, what the handler is given, metrics and logs.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { createConsumerHandler } from "../../../src/consumers/consumer-handler";
import { processingState } from "../../../src/consumers/processing-state";
import type { Consumer, ConsumerContext, RecordOutcome } from "../../../src/consumers/types";
import type { GatewayEvent } from "../../../src/contract/event";
import {
  fifoRecord,
  githubEvent,
  githubExample,
  lambdaContext,
  sqsEvent,
  sqsRecord,
} from "../../helpers/factories";
import { type Bench, quietObservability, startBench } from "./support/harness";

let bench: Bench;

beforeAll(async () => {
  bench = await startBench();
});

afterEach(() => {
  jest.restoreAllMocks();
});

afterAll(async () => {
  await bench.stop();
});

const issue = () => githubEvent({ name: "issues", payload: githubExample("issues", "opened") });

function recording(
  name: string,
  options: { types?: string[]; fail?: (event: GatewayEvent) => boolean } = {},
) {
  const effects: string[] = [];
  const contexts: ConsumerContext[] = [];
  const consumer: Consumer = {
    name,
    filter: { types: options.types },
    handler: async (event, context) => {
      contexts.push(context);
      if (options.fail?.(event)) throw new Error(`refused ${event.id}`);
      effects.push(event.id);
    },
  };
  return { consumer, effects, contexts };
}

test("FIFO: a failure fails the rest of its group; other groups go on, in order", async () => {
  let broken = true;
  const [a, b, c, d, e] = [issue(), issue(), issue(), issue(), issue()] as GatewayEvent[] as [
    GatewayEvent,
    GatewayEvent,
    GatewayEvent,
    GatewayEvent,
    GatewayEvent,
  ];
  const { consumer, effects } = recording("fifo", { fail: (event) => broken && event.id === b.id });
  const outcomes: RecordOutcome[] = [];
  const handler = createConsumerHandler(consumer, {
    ddb: bench.ddb,
    idempotencyTable: bench.idempotencyTable,
    fifo: true,
    ...quietObservability(),
    onOutcome: (outcome) => outcomes.push(outcome),
  });
  const records = [
    fifoRecord(a, "octo/one", 1),
    fifoRecord(b, "octo/one", 2),
    fifoRecord(c, "octo/one", 3),
    fifoRecord(d, "octo/two", 4),
    fifoRecord(e, "octo/two", 5),
  ];

  const response = await handler(sqsEvent(records), lambdaContext());

  expect(response.batchItemFailures).toEqual([
    { itemIdentifier: records[1]?.messageId },
    { itemIdentifier: records[2]?.messageId },
  ]);
  expect(effects).toEqual([a.id, d.id, e.id]);
  expect(outcomes.find((outcome) => outcome.messageId === records[2]?.messageId)).toMatchObject({
    status: "failed",
    reason: "FifoGroupSkipped",
  });

  broken = false;
  const retry = await handler(sqsEvent([records[1], records[2]] as typeof records), lambdaContext());

  expect(retry.batchItemFailures).toEqual([]);
  expect(effects).toEqual([a.id, d.id, e.id, b.id, c.id]);
});

test("an event outside the filter is acknowledged without running the handler or claiming it", async () => {
  const { consumer, effects } = recording("issues-only", { types: ["com.github.issues.*"] });
  const outcomes: RecordOutcome[] = [];
  const handler = createConsumerHandler(consumer, {
    ddb: bench.ddb,
    idempotencyTable: bench.idempotencyTable,
    ...quietObservability(),
    onOutcome: (outcome) => outcomes.push(outcome),
  });
  const push = githubEvent({ name: "push", payload: githubExample("push") });

  const response = await handler(sqsEvent([sqsRecord(push)]), lambdaContext());

  expect(response.batchItemFailures).toEqual([]);
  expect(effects).toEqual([]);
  expect(outcomes.map((outcome) => outcome.status)).toEqual(["filtered"]);
  expect((await processingState(bench.ddb, bench.idempotencyTable, "issues-only", push.id)).status).toBe(
    "ABSENT",
  );
});

test("the handler gets the event, its SQS record and the Lambda context", async () => {
  const { consumer, contexts } = recording("context");
  const handler = createConsumerHandler(consumer, {
    ddb: bench.ddb,
    idempotencyTable: bench.idempotencyTable,
    ...quietObservability(),
  });
  const event = issue();
  const record = sqsRecord(event);
  const context = lambdaContext({ functionName: "context-fn" });

  await handler(sqsEvent([record]), context);

  expect(contexts).toHaveLength(1);
  expect(contexts[0]).toMatchObject({
    consumer: "context",
    record,
    lambdaContext: context,
    dataref: undefined,
  });
});

test("metrics count processed, duplicate, filtered and failed records per consumer", async () => {
  const observability = quietObservability();
  const addMetric = jest.spyOn(
    observability.metrics as NonNullable<typeof observability.metrics>,
    "addMetric",
  );
  const addDimension = jest.spyOn(
    observability.metrics as NonNullable<typeof observability.metrics>,
    "addDimension",
  );
  const { consumer } = recording("metered", {
    types: ["com.github.issues.*"],
    fail: (event) => event.id === bad.id,
  });
  const handler = createConsumerHandler(consumer, {
    ddb: bench.ddb,
    idempotencyTable: bench.idempotencyTable,
    ...observability,
  });
  const done = issue();
  const bad = issue();
  await handler(sqsEvent([sqsRecord(done)]), lambdaContext());
  addMetric.mockClear();
  addDimension.mockClear();

  const push = githubEvent({ name: "push", payload: githubExample("push") });
  await handler(
    sqsEvent([sqsRecord(done), sqsRecord(bad), sqsRecord(push), sqsRecord(issue())]),
    lambdaContext(),
  );

  expect(addDimension.mock.calls).toEqual([["consumer", "metered"]]);
  expect(addMetric.mock.calls.map(([name, , value]) => [name, value]).sort()).toEqual(
    [
      ["DuplicateSkipped", 1],
      ["Failed", 1],
      ["Filtered", 1],
      ["Processed", 1],
    ].sort(),
  );
});

test("log lines carry the event id as correlation id and the consumer's name", async () => {
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  const { consumer } = recording("logged");
  const handler = createConsumerHandler(consumer, {
    ddb: bench.ddb,
    idempotencyTable: bench.idempotencyTable,
    ...quietObservability(),
    logger: new Logger({ serviceName: "test", logLevel: "INFO" }),
  });
  const event = issue();
  const record = sqsRecord(event);

  await handler(sqsEvent([record]), lambdaContext());
  write.mockRestore();

  const logs = lines
    .flatMap((line) => line.split("\n"))
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line));
  expect(logs.filter((log) => log.message === "Event processed")).toEqual([
    expect.objectContaining({ correlation_id: event.id, consumer: "logged", messageId: record.messageId }),
  ]);
});
