import type { Logger } from "@aws-lambda-powertools/logger";
import type { Context } from "aws-lambda";
import type { NormalizedEvent } from "../../../src/contract/event";
import type { EdgeMetrics } from "../../../src/edge/emf";
import type { Outcome } from "../../../src/edge/gateway";
import { observe } from "../../../src/edge/observe";

/** Records every log line, metric and dimension as plain tuples. */
function recorder(level = 12) {
  const calls: unknown[][] = [];
  const logger = {
    level,
    addContext: (context: { awsRequestId: string }) => calls.push(["context", context.awsRequestId]),
    setCorrelationId: (id: string) => calls.push(["correlation", id]),
    info: (message: string, fields: unknown) => calls.push(["info", message, fields]),
    warn: (message: string, fields: unknown) => calls.push(["warn", message, fields]),
    error: (message: string, fields: unknown) => calls.push(["error", message, fields]),
  } as unknown as Logger;
  const metrics = {
    addMetric: (name: string) => calls.push(["metric", name]),
    singleMetric: () => ({
      addDimension: (name: string, value: string) => calls.push(["dimension", name, value]),
      addMetric: (name: string) => calls.push(["single", name]),
    }),
  } as unknown as EdgeMetrics;
  return { calls, logger, metrics };
}

const event = { attributes: { id: "github:1", type: "com.github.push", source: "repo" } } as NormalizedEvent;

test("a queued event counts Queued and logs its queues", () => {
  const { calls, logger, metrics } = recorder();
  const outcome: Outcome = {
    status: "queued",
    provider: "github",
    event,
    eventId: "github:1",
    queues: ["archive"],
    claimChecked: false,
    unrouted: false,
  };

  expect(observe(outcome, logger, metrics)).toBe(true);

  expect(calls).toEqual([
    ["metric", "Received"],
    ["metric", "Queued"],
    ["correlation", "github:1"],
    [
      "info",
      "event queued",
      {
        provider: "github",
        type: "com.github.push",
        source: "repo",
        queues: ["archive"],
        claimChecked: false,
      },
    ],
  ]);
});

test("an unrouted event counts Unrouted and warns", () => {
  const { calls, logger, metrics } = recorder();
  const outcome: Outcome = {
    status: "queued",
    provider: "github",
    event,
    eventId: "github:1",
    queues: [],
    claimChecked: false,
    unrouted: true,
  };

  observe(outcome, logger, metrics);

  expect(calls.slice(1)).toEqual([
    ["metric", "Unrouted"],
    ["correlation", "github:1"],
    [
      "warn",
      "event matched no route",
      { provider: "github", type: "com.github.push", source: "repo", queues: [] },
    ],
  ]);
});

test("a handshake logs its name as the reason", () => {
  const { calls, logger, metrics } = recorder();

  observe({ status: "answered", provider: "slack", handshake: "url_verification" }, logger, metrics);

  expect(calls).toEqual([
    ["metric", "Received"],
    ["metric", "Answered"],
    ["info", "handshake answered", { provider: "slack", reason: "url_verification" }],
  ]);
});

test("a rejection is counted with its error code as the reason dimension", () => {
  const { calls, logger, metrics } = recorder();
  const error = new Error("bad");

  observe({ status: "rejected", provider: "github", errorCode: "invalid_signature", error }, logger, metrics);

  expect(calls).toEqual([
    ["metric", "Received"],
    ["dimension", "reason", "invalid_signature"],
    ["single", "Rejected"],
    ["warn", "request rejected", { provider: "github", reason: "invalid_signature" }],
  ]);
});

test("a failure logs its error code and the error", () => {
  const { calls, logger, metrics } = recorder();
  const error = new Error("down");

  observe({ status: "failed", errorCode: "queue_unavailable", error }, logger, metrics);

  expect(calls).toEqual([
    ["metric", "Received"],
    ["metric", "Failed"],
    ["error", "request failed", { provider: "none", reason: "queue_unavailable", error }],
  ]);
});

test("a line the logger's level drops costs no context, correlation id or attributes", () => {
  const { calls, logger, metrics } = recorder(16);
  const outcome: Outcome = {
    status: "queued",
    provider: "github",
    event,
    eventId: "github:1",
    queues: ["archive"],
    claimChecked: false,
    unrouted: false,
  };
  const context = { awsRequestId: "req-1" } as Context;

  expect(observe(outcome, logger, metrics, context)).toBe(false);

  expect(calls).toEqual([
    ["metric", "Received"],
    ["metric", "Queued"],
  ]);
});

test("a printed line gets the Lambda context first", () => {
  const { calls, logger, metrics } = recorder(16);
  const context = { awsRequestId: "req-2" } as Context;

  expect(
    observe({ status: "failed", errorCode: "queue_unavailable", error: 1 }, logger, metrics, context),
  ).toBe(true);

  expect(calls.slice(2, 3)).toEqual([["context", "req-2"]]);
});
