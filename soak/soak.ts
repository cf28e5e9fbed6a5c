/**
 * The soak: the local runtime as a child process (`soak/runtime.ts`: `npm start` with the soak's
 * faults), thousands of signed deliveries at a steady rate and in bursts, redeliveries and Slack
 * retries, forged and stale deliveries, poison events, and faults while it runs (SQS and DynamoDB
 * cut off, consumers failing at random, a Ctrl-C and a restart). Then a reconciliation through the
 * inspector API, the dead-letter queues and the runtime's output lines.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startChildRuntime } from "./child-runtime";
import { runFaultSchedule } from "./fault-schedule";
import { plan } from "./plan";
import { reconcile } from "./reconcile";
import { SendQueue, sendAll } from "./sender";
import type { Delivery, SoakFigures, SoakOptions, SoakRun } from "./types";

export type { FaultName, SoakFigures, SoakOptions } from "./types";

/**
 * The default rate stays under what the local runtime processes on two cores (about 50 events/s,
 * BENCHMARKS.md section 4): above it the backlog grows without end, and with about 12,000 messages
 * queued the runtime's once-a-second snapshot (queues.json, over 100 MB) stalls it (seen at 150/s).
 */
export const DEFAULTS: Omit<SoakOptions, "root"> = {
  deliveries: 20_000,
  rate: 40,
  seconds: 900,
  burstEverySeconds: 30,
  burstSize: 200,
  duplicateShare: 0.1,
  badShare: 0.03,
  poisonShare: 0.005,
  faults: ["sqs", "dynamodb", "consumer", "restart"],
  outageSeconds: 4,
  consumerFailureRate: 0.05,
  settleSeconds: 900,
  concurrency: 48,
};

/**
 * Runs the soak: plan the deliveries, send them while the faults happen, then reconcile.
 *
 * @example
 * const figures = await runSoak({ root: ".", deliveries: 600, faults: ["sqs", "restart"] });
 * figures.lost // 0
 */
export async function runSoak(input: Partial<SoakOptions> & { root: string }): Promise<SoakFigures> {
  const run = await beginRun({ ...DEFAULTS, ...input });
  const deliveries = plan(run.options);
  for (const d of deliveries) run.figures.deliveries[d.kind]++;
  const queue = new SendQueue(deliveries);
  let faultsDone = false;
  const faults = runFaultSchedule(run, queue).finally(() => {
    faultsDone = true;
  });
  await sendAll(run, queue, () => faultsDone);
  await faults;
  countNeverAccepted(run.figures, deliveries);
  const seconds = ((Date.now() - run.started) / 1000).toFixed(0);
  run.log(`sending done in ${seconds} s; waiting for the queues to drain`);
  await reconcile(run, deliveries);
  run.figures.problems = run.problems;
  run.figures.elapsedSeconds = Math.round((Date.now() - run.started) / 1000);
  return run.figures;
}

async function beginRun(options: SoakOptions): Promise<SoakRun> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const dataDir = mkdtempSync(join(tmpdir(), "gateway-soak-"));
  const runtime = await startChildRuntime(options.root, dataDir);
  log(`runtime at ${runtime.url} (data in ${dataDir})`);
  const figures = emptyFigures(options);
  return { options, log, started, dataDir, runtime, outputs: [], problems: [], figures, faultLog: [] };
}

/** Valid and poison deliveries never accepted; forged and stale ones never answered 401. */
function countNeverAccepted(figures: SoakFigures, deliveries: readonly Delivery[]): void {
  for (const d of deliveries)
    if ((d.kind === "valid" || d.kind === "poison") && !d.accepted) figures.neverAccepted++;
    else if ((d.kind === "forged" || d.kind === "stale") && !d.answered401) figures.neverAccepted++;
}

function emptyFigures(options: SoakOptions): SoakFigures {
  const { log: _log, root: _root, ...rest } = options;
  return {
    options: rest,
    elapsedSeconds: 0,
    runtimeRuns: 0,
    sent: 0,
    deliveries: { valid: 0, poison: 0, forged: 0, stale: 0 },
    resends: { redeliveries: 0, slackRetries: 0, afterFailure: 0 },
    accepted: { responses: 0, events: 0 },
    notAccepted: {},
    rejected: {},
    processed: {},
    duplicatesSkipped: {},
    consumerFailures: {},
    injected: {
      randomFailures: 0,
      poisonFailures: 0,
      sqsOutages: 0,
      dynamodbOutages: 0,
      restarts: 0,
      restoredMessages: 0,
    },
    deadLettered: { poisonEvents: 0, intact: 0, messages: 0, byQueue: {} },
    neverAccepted: 0,
    unexpectedAnswers: 0,
    lost: 0,
    doubled: 0,
    rejectedArchived: 0,
    phantoms: 0,
    problems: [],
  };
}
