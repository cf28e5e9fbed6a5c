import type { Logger } from "@aws-lambda-powertools/logger";
import type { Metrics } from "@aws-lambda-powertools/metrics";
import type { NormalizedEvent } from "../../../src/contract/event";
import type { Outcome } from "../../../src/edge/gateway";
import { observe } from "../../../src/edge/observe";

/** Records every log line, metric and dimension as plain tuples. */
function recorder() {
  const calls: unknown[][] = [];
  const logger = {
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
  } as unknown as Metrics;
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

  observe(outcome, logger, metrics);

  expect(calls).toEqual([
    ["correlation", "github:1"],
    ["metric", "Received"],
    ["metric", "Queued"],
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

  expect(calls.slice(2)).toEqual([
    ["metric", "Unrouted"],
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
