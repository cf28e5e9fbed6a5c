import type { NormalizedEvent } from "../../../src/contract/event";
import type { Outcome } from "../../../src/edge/gateway";
import { countEdge, createCounters } from "../../../src/local/counters";
import { edgeLine } from "../../../src/local/output";

const event = { attributes: { id: "github:1", type: "com.github.push", source: "repo" } } as NormalizedEvent;
const queued = (queues: string[]): Outcome => ({
  status: "queued",
  provider: "github",
  event,
  eventId: "github:1",
  queues,
  claimChecked: false,
  unrouted: queues.length === 0,
});
const OUTCOMES: Outcome[] = [
  queued(["archive", "github"]),
  { ...(queued(["archive", "github"]) as Extract<Outcome, { status: "queued" }>), joined: true },
  queued([]),
  { status: "answered", provider: "github", handshake: "ping", eventId: "1" },
  { status: "rejected", provider: "slack", errorCode: "invalid_signature", error: new Error("x") },
  { status: "rejected", provider: "slack", errorCode: "invalid_signature", error: new Error("x") },
  { status: "failed", provider: "github", errorCode: "queue_unavailable", error: new Error("queue down") },
];

test("countEdge counts each outcome once, rejections by error code", () => {
  const counters = createCounters([]);

  for (const outcome of OUTCOMES) countEdge(counters, outcome);

  expect(counters).toEqual({
    received: 7,
    queued: 2,
    joined: 1,
    answered: 1,
    unrouted: 1,
    failed: 1,
    rejected: { invalid_signature: 2 },
    consumers: {},
  });
});

test("edgeLine prints the queues, the handshake or the error code", () => {
  const lines = OUTCOMES.map((outcome) => edgeLine(outcome).slice(13));

  expect(lines).toEqual([
    "← accepted github com.github.push github:1 → archive, github",
    "← accepted github com.github.push github:1 → archive, github (a copy of the event being queued: queued once)",
    "← accepted github com.github.push github:1 → no consumer (unrouted)",
    "← answered github ping",
    "✗ rejected slack invalid_signature",
    "✗ rejected slack invalid_signature",
    "✗ failed github queue_unavailable: queue down",
  ]);
});
