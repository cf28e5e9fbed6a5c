/**
 * 6. Cost model: dollars per million GitHub deliveries with the default stack, from AWS requests,
 * write and read units, invocations and log bytes counted in one local pipeline run (the local
 * runtime with counting proxies in front of SQS and DynamoDB: bench/pipeline/cost-host.ts), priced
 * at list prices. The deliveries go one at a time, so the consumers' batches are those of a
 * moderately busy gateway.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultConfig } from "../../src/config/gateway-config";
import { ARCHIVE_INDEXES } from "../../src/contract/tables";
import { loggingConfig } from "../../stacks/constructs/node-function";
import { githubCorpus, ROOT } from "../lib/corpus";
import { median, msSince } from "../lib/stats";
import type { Target } from "../lib/target";
import type { Tally } from "../pipeline/counting-proxy";
import { startHost, stopHost } from "./pipeline";

/** List prices, us-east-1, from the AWS pricing pages (on-demand, beyond the free tiers). */
export const PRICES = {
  asOf: "list prices as of January 2025 (DynamoDB after its November 2024 on-demand price cut), us-east-1, from the AWS pricing pages",
  sqsPerMillionRequests: 0.4,
  dynamoPerMillionWrites: 0.625,
  dynamoPerMillionReads: 0.125,
  dynamoStoragePerGbMonth: 0.25,
  dynamoPitrPerGbMonth: 0.2,
  lambdaPerMillionRequests: 0.2,
  lambdaArmPerGbSecond: 0.0000133334,
  cloudwatchLogsIngestPerGb: 0.5,
  eventBridgePerMillionEvents: 1,
} as const;

/**
 * Lambda's own lines per invocation (START, END, REPORT), logged only when the functions' system
 * log level is INFO or DEBUG (`loggingConfig`: at `logLevel` WARN and above they are dropped).
 */
const PLATFORM_BYTES_PER_INVOCATION = 95 + 60 + 190;
/** DynamoDB's per-item storage overhead. */
const ITEM_OVERHEAD_BYTES = 100;

export interface CostLine {
  item: string;
  /** How the count was found, in words. */
  basis: string;
  perDelivery: number;
  unit: string;
  dollarsPerMillion: number;
}

export interface CostResult {
  deliveries: number;
  prices: typeof PRICES;
  lines: CostLine[];
  totalPerMillion: number;
  quickStartPerMillion: number;
  requests: { sqs: Record<string, number>; dynamodb: Record<string, number> };
  archiveItemBytes: number;
  edgeP50Ms: number;
  emptyReceives: number;
  targets: Target[];
}

interface CostTallies {
  sqs: Tally;
  dynamodb: Tally;
  invocations: Record<string, { count: number; records: number; billedMs: number }>;
  logBytes: number;
}

function http(
  agent: Agent,
  url: string,
  method: string,
  headers: Record<string, string> = {},
  body?: Buffer,
) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(url, { method, agent, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => {
        text += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * Runs the deliveries through the local pipeline and prices what it counted.
 *
 * @example
 * const cost = await costModel({ deliveries: 329 }, console.log);
 */
export async function costModel(
  options: { deliveries: number },
  log: (line: string) => void,
): Promise<CostResult> {
  const corpus = githubCorpus().slice(0, options.deliveries);
  const dataDir = mkdtempSync(join(tmpdir(), "gateway-cost-"));
  const host = await startHost("cost-host.ts", { BENCH_DATA_DIR: dataDir });
  const agent = new Agent({ keepAlive: true, maxSockets: 2 });
  try {
    await http(agent, `${host.url}/_/cost/reset`, "GET");
    const latencies: number[] = [];
    for (const r of corpus) {
      const started = process.hrtime.bigint();
      const headers = {
        ...r.headers,
        "x-github-delivery": randomUUID(),
        "content-length": String(r.body.length),
      };
      const answer = await http(agent, `${host.url}${r.path}`, "POST", headers, r.body);
      if (answer.status !== r.status) throw new Error(`${r.name}: ${answer.status} ${answer.text}`);
      latencies.push(msSince(started));
    }
    const running = (host.info.consumers as { name: string; enabled: boolean }[]).filter((c) => c.enabled);
    log(`    consumers running: ${running.map((c) => c.name).join(", ")}`);
    const tallies = await settle(
      agent,
      host.url,
      running.map((c) => c.name),
    );
    const result = price(
      tallies,
      corpus.length,
      median(latencies),
      host.info.emf as { edge: number; consumer: number },
    );
    for (const line of result.lines) {
      log(
        `    ${line.item.padEnd(40)} ${line.perDelivery.toFixed(3).padStart(8)} ${line.unit.padEnd(22)} $${line.dollarsPerMillion.toFixed(2)}`,
      );
    }
    log(`    total $${result.totalPerMillion.toFixed(2)} per million GitHub deliveries`);
    return result;
  } finally {
    agent.destroy();
    await stopHost(host);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Waits until every queue is empty and the tallies stop moving, then returns them. */
async function settle(agent: Agent, url: string, consumers: readonly string[]): Promise<CostTallies> {
  let last = "";
  for (let i = 0; i < 600; i++) {
    await new Promise((done) => setTimeout(done, 250));
    const health = JSON.parse((await http(agent, `${url}/_/health`, "GET")).text) as {
      queues: Record<string, { ready: number; inflight: number }>;
    };
    const tallies = (await http(agent, `${url}/_/cost`, "GET")).text;
    const idle = consumers.every((name) => {
      const q = health.queues[name];
      return !q || q.ready + q.inflight === 0;
    });
    const counts = JSON.stringify(JSON.parse(tallies).invocations);
    if (idle && counts === last) return JSON.parse(tallies) as CostTallies;
    last = counts;
  }
  throw new Error("the pipeline did not settle in 150 s");
}

const sum = (record: Record<string, number>, keys?: (key: string) => boolean) =>
  Object.entries(record)
    .filter(([key]) => !keys || keys(key))
    .reduce((total, [, n]) => total + n, 0);

/** Prices the tallies: one line per bill item, per delivery and per million deliveries. */
function price(
  t: CostTallies,
  deliveries: number,
  edgeP50Ms: number,
  emf: { edge: number; consumer: number },
): CostResult {
  const config = defaultConfig(ROOT);
  const per = (n: number) => n / deliveries;
  const million = (perDelivery: number, unitPrice: number) => perDelivery * unitPrice;
  const sqsSends = sum(t.sqs.sqsBilled, (k) => k.startsWith("SendMessage"));
  const sqsPolls =
    sum(t.sqs.sqsBilled, (k) => k === "ReceiveMessage" || k.startsWith("DeleteMessage")) -
    t.sqs.emptyReceives;
  const archiveWrites = t.dynamodb.writeUnits.archive ?? 0;
  const indexWrites = sum(t.dynamodb.writeUnits, (k) => k.startsWith("archive:"));
  const idempotencyWrites = sum(t.dynamodb.writeUnits, (k) => !k.startsWith("archive"));
  const reads = sum(t.dynamodb.readUnits);
  const consumers = Object.values(t.invocations);
  const consumerInvocations = consumers.reduce((s, c) => s + c.count, 0);
  const consumerGbSeconds = consumers.reduce((s, c) => s + (c.billedMs / 1000) * 0.5, 0);
  const edgeGbSeconds = deliveries * (Math.ceil(edgeP50Ms) / 1000) * (config.edge.memoryMb / 1024);
  const archiveBytes = t.dynamodb.itemBytes.archive ?? [];
  const archiveItemBytes = archiveBytes.reduce((s, b) => s + b, 0) / Math.max(1, archiveBytes.length);
  const indexes = Object.keys(ARCHIVE_INDEXES).length;
  const indexItemBytes = indexes * (ITEM_OVERHEAD_BYTES + 200);
  const months = config.archiveRetentionDays / 30;
  const storedGb =
    (per(archiveBytes.length) * (archiveItemBytes + ITEM_OVERHEAD_BYTES + indexItemBytes) * 1e6) / 1e9;
  const pitrGb = (per(archiveBytes.length) * (archiveItemBytes + ITEM_OVERHEAD_BYTES) * 1e6) / 1e9;
  const appLines = t.logBytes;
  const platformLines = loggingConfig(config.logLevel, "").systemLogLevel !== "WARN";
  const logBytes =
    appLines +
    (platformLines ? (deliveries + consumerInvocations) * PLATFORM_BYTES_PER_INVOCATION : 0) +
    deliveries * emf.edge +
    consumerInvocations * emf.consumer;
  const lines = costLines({
    per,
    million,
    sqsSends,
    sqsPolls,
    archiveWrites,
    indexWrites,
    idempotencyWrites,
    reads,
    archiveItemBytes,
    archiveItems: archiveBytes.length,
    storageDollars:
      storedGb * months * PRICES.dynamoStoragePerGbMonth +
      (config.pointInTimeRecovery ? pitrGb * months * PRICES.dynamoPitrPerGbMonth : 0),
    pitrDollars: pitrGb * months * PRICES.dynamoPitrPerGbMonth,
    months,
    invocations: deliveries + consumerInvocations,
    gbSeconds: edgeGbSeconds + consumerGbSeconds,
    edgeP50Ms,
    logBytes,
  });
  const totalPerMillion = lines.reduce((s, l) => s + l.dollarsPerMillion, 0);
  return {
    deliveries,
    prices: PRICES,
    lines,
    totalPerMillion,
    quickStartPerMillion: 1.67,
    requests: { sqs: t.sqs.requests, dynamodb: t.dynamodb.requests },
    archiveItemBytes,
    edgeP50Ms,
    emptyReceives: t.sqs.emptyReceives,
    targets: [
      {
        label: "dollars per million GitHub deliveries, default stack with the archive ≤ $4",
        figure: `$${totalPerMillion.toFixed(2)} (AWS quick start, function URL → EventBridge: ~$1.67)`,
        met: totalPerMillion <= 4,
        command: "npm run bench -- --only cost",
      },
    ],
  };
}

interface Counted {
  per: (n: number) => number;
  million: (perDelivery: number, unitPrice: number) => number;
  sqsSends: number;
  sqsPolls: number;
  archiveWrites: number;
  indexWrites: number;
  idempotencyWrites: number;
  reads: number;
  archiveItemBytes: number;
  archiveItems: number;
  storageDollars: number;
  /** What PITR on the archive would add (counted only with `pointInTimeRecovery`). */
  pitrDollars: number;
  months: number;
  invocations: number;
  gbSeconds: number;
  edgeP50Ms: number;
  logBytes: number;
}

/** One line per bill item. */
function costLines(c: Counted): CostLine[] {
  const { per, million, sqsSends, sqsPolls, archiveWrites, indexWrites, idempotencyWrites, reads } = c;
  const config = defaultConfig(ROOT);
  const lines: CostLine[] = [
    {
      item: "SQS: edge sends",
      basis: "SendMessage requests (64 KB chunks) at the SQS proxy",
      perDelivery: per(sqsSends),
      unit: "requests",
      dollarsPerMillion: million(per(sqsSends), PRICES.sqsPerMillionRequests),
    },
    {
      item: "SQS: consumers' receives and deletes",
      basis:
        "non-empty ReceiveMessage and DeleteMessageBatch of the local event source mappings (empty long polls are a monthly fixed cost, not per delivery)",
      perDelivery: per(sqsPolls),
      unit: "requests",
      dollarsPerMillion: million(per(sqsPolls), PRICES.sqsPerMillionRequests),
    },
    {
      item: "DynamoDB: archive table writes",
      basis: `conditional PutItem, item size measured (mean ${c.archiveItemBytes.toFixed(0)} B)`,
      perDelivery: per(archiveWrites),
      unit: "write units",
      dollarsPerMillion: million(per(archiveWrites), PRICES.dynamoPerMillionWrites),
    },
    {
      item: "DynamoDB: archive index writes",
      basis: `${Object.keys(ARCHIVE_INDEXES).length} GSI(s) (${Object.values(ARCHIVE_INDEXES)
        .map((index) => index.name)
        .join(", ")}), projected item (keys + summary) size`,
      perDelivery: per(indexWrites),
      unit: "write units",
      dollarsPerMillion: million(per(indexWrites), PRICES.dynamoPerMillionWrites),
    },
    {
      item: "DynamoDB: idempotency writes",
      basis: "Powertools PutItem/UpdateItem of the consumers that use it",
      perDelivery: per(idempotencyWrites),
      unit: "write units",
      dollarsPerMillion: million(per(idempotencyWrites), PRICES.dynamoPerMillionWrites),
    },
    {
      item: "DynamoDB: reads",
      basis: "GetItem/Query/BatchGetItem in the run",
      perDelivery: per(reads),
      unit: "read units",
      dollarsPerMillion: million(per(reads), PRICES.dynamoPerMillionReads),
    },
    {
      item: "DynamoDB: archive storage and PITR",
      basis: `${config.archiveRetentionDays}-day retention: item + index items (+100 B each); ${
        config.pointInTimeRecovery
          ? "PITR on the table"
          : `PITR off (\`pointInTimeRecovery\`; on: +$${c.pitrDollars.toFixed(2)})`
      }`,
      perDelivery: per(c.archiveItems) * c.months,
      unit: "item-months",
      dollarsPerMillion: c.storageDollars,
    },
    {
      item: "Lambda: requests",
      basis: "edge invocations + consumer invocations (batches) counted",
      perDelivery: per(c.invocations),
      unit: "invocations",
      dollarsPerMillion: million(per(c.invocations), PRICES.lambdaPerMillionRequests),
    },
    {
      item: "Lambda: duration (arm64)",
      basis: `edge: p50 answer ${c.edgeP50Ms.toFixed(1)} ms at ${config.edge.memoryMb} MB; consumers: their invocations' measured ms at 512 MB`,
      perDelivery: per(c.gbSeconds),
      unit: "GB-seconds",
      dollarsPerMillion: per(c.gbSeconds) * 1e6 * PRICES.lambdaArmPerGbSecond,
    },
    {
      item: "CloudWatch Logs ingestion",
      basis: `Powertools lines at ${config.logLevel} (the deployed \`logLevel\`; measured) + EMF documents (measured)${
        loggingConfig(config.logLevel, "").systemLogLevel === "WARN"
          ? "; Lambda's START/END/REPORT lines dropped (system log level WARN)"
          : " + Lambda's START/END/REPORT lines"
      }`,
      perDelivery: per(c.logBytes) / 1024,
      unit: "KiB",
      dollarsPerMillion: ((per(c.logBytes) * 1e6) / 1e9) * PRICES.cloudwatchLogsIngestPerGb,
    },
  ];
  return lines;
}
