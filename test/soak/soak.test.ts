/**
 * The soak (`npm run soak`, soak/soak.ts) with small numbers: 600 deliveries into the local runtime
 * as a child process, with redeliveries, Slack retries, forged and stale deliveries, poison events,
 * one SQS outage, consumers failing at random for a while, and one Ctrl-C and restart. Nothing
 * accepted is lost or processed twice, and every fault really happened.
 */
import { join } from "node:path";
import { runSoak } from "../../soak/soak";

jest.setTimeout(180_000);

/** mulberry32: a seeded stand-in for Math.random, so the soak's plan of deliveries is the same every run. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Seed 1 draws 7 poison events among the 600 deliveries (with Math.random, none 0.24% of the time).
beforeEach(() => jest.spyOn(Math, "random").mockImplementation(seeded(1)));
afterEach(() => jest.restoreAllMocks());

test("600 deliveries through an SQS outage, random consumer failures and a restart: none lost, none doubled", async () => {
  const figures = await runSoak({
    root: join(__dirname, "..", ".."),
    deliveries: 600,
    rate: 60,
    burstEverySeconds: 4,
    burstSize: 80,
    duplicateShare: 0.15,
    badShare: 0.05,
    poisonShare: 0.01,
    faults: ["sqs", "consumer", "restart"],
    outageSeconds: 2,
    consumerFailureRate: 0.1,
    seconds: 90,
    settleSeconds: 60,
  });
  const summary = { lost: figures.lost, doubled: figures.doubled, problems: figures.problems.slice(0, 20) };
  expect(summary).toEqual({ lost: 0, doubled: 0, problems: [] });
  expect(figures.neverAccepted).toBe(0);
  expect(figures.unexpectedAnswers).toBe(0);
  expect(figures.rejectedArchived).toBe(0);
  expect(figures.phantoms).toBe(0);

  // Every accepted event went through each matching consumer once.
  expect(figures.processed.archive).toBe(figures.accepted.events);
  // The faults happened: 503s while SQS was cut off, a clean stop and a restart, injected failures.
  expect(figures.notAccepted["503 queue_unavailable"]).toBeGreaterThan(0);
  expect(figures.injected.restarts).toBe(1);
  expect(figures.runtimeRuns).toBe(2);
  expect(figures.injected.randomFailures).toBeGreaterThan(0);
  // Redeliveries and retries were sent and skipped as duplicates.
  expect(figures.resends.redeliveries + figures.resends.slackRetries).toBeGreaterThan(0);
  expect(figures.duplicatesSkipped.archive).toBeGreaterThan(0);
  // Forged and stale deliveries were refused; poison events are all in github-dlq, intact.
  expect(Object.values(figures.rejected).reduce((a, b) => a + b, 0)).toBe(
    figures.deliveries.forged + figures.deliveries.stale,
  );
  expect(figures.deliveries.poison).toBeGreaterThan(0);
  expect(figures.deadLettered.poisonEvents).toBe(figures.deliveries.poison);
  expect(figures.deadLettered.intact).toBe(figures.deliveries.poison);
});
