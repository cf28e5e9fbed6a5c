/**
 * Child process of the cost model: the local runtime (`startLocalRuntime`, default consumers,
 * logs at the deployed level: `logLevel`, default WARN) with counting proxies in front of SQS and DynamoDB (through the
 * runtime's fault seam), every consumer invocation timed, and the log bytes the process writes
 * counted instead of printed. Prints one JSON line with its URL; `GET /_/cost` answers the tallies.
 *
 * Usage: `BENCH_DATA_DIR=<dir> node bench/pipeline/launch.cjs cost-host.ts`
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { defaultConfig } from "../../src/config/gateway-config";
import { publishCounts } from "../../src/consumers/observability";
import { EDGE_METRICS, METRICS_NAMESPACE } from "../../src/contract/metrics";
import type { LocalFaults } from "../../src/local/fault-hook";
import { startLocalRuntime } from "../../src/local/runtime";
import { GITHUB_SECRET, SLACK_SECRET } from "../lib/corpus";
import { type CountingProxy, startCountingProxy } from "./counting-proxy";

const ROOT = process.cwd();
const write = process.stdout.write.bind(process.stdout);
let logBytes = 0;
// Everything the runtime's loggers print is counted, not shown (one JSON line per log entry).
process.stdout.write = ((chunk: string | Uint8Array) => {
  logBytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.byteLength;
  return true;
}) as typeof process.stdout.write;

interface Invocations {
  count: number;
  records: number;
  /** Sum over invocations of the duration rounded up to the millisecond (Lambda bills by the ms). */
  billedMs: number;
}

/** Bytes of one EMF document as Powertools prints it, for a function that calls `publish`. */
function emfBytes(publish: (metrics: Metrics) => void): number {
  const before = logBytes;
  publish(new Metrics({ namespace: METRICS_NAMESPACE, serviceName: "webhook-gateway-dev-ingest" }));
  return logBytes - before;
}

/** A stand-in for Slack's Web API (the notifier's `chat.postMessage`): every call succeeds. */
function startSlackStub(): Promise<string> {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true, channel: "C0BENCH", ts: "1700000000.000100" }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`);
      server.unref();
    }),
  );
}

async function main(): Promise<void> {
  const slackApiUrl = await startSlackStub();
  const proxies: { sqs?: CountingProxy; dynamodb?: CountingProxy } = {};
  const invocations: Record<string, Invocations> = {};
  const runtime = await startLocalRuntime({
    port: 0,
    root: ROOT,
    dataDir: process.env.BENCH_DATA_DIR ?? join(ROOT, ".data-bench"),
    log: () => undefined,
    // The deployed consumers' batching windows (the stack's), not the local default of 0: the
    // window decides how many events share a receive and an invocation.
    batchingWindowSeconds: "stack",
    env: {
      PATH: process.env.PATH,
      GITHUB_WEBHOOK_SECRET: GITHUB_SECRET,
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      LOG_LEVEL: defaultConfig(ROOT).logLevel,
      // The notifier and the Slack consumer run, against the stand-in.
      SLACK_BOT_TOKEN: "xoxb-bench",
      SLACK_API_URL: slackApiUrl,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
    faults: async (endpoints): Promise<LocalFaults> => {
      proxies.sqs = await startCountingProxy("sqs", endpoints.sqs);
      proxies.dynamodb = await startCountingProxy("dynamodb", endpoints.dynamodb);
      return {
        endpoints: { sqs: proxies.sqs.url, dynamodb: proxies.dynamodb.url },
        wrapHandler: (consumer, handler) => async (event, context) => {
          const started = performance.now();
          try {
            return await handler(event, context);
          } finally {
            invocations[consumer] ??= { count: 0, records: 0, billedMs: 0 };
            const entry = invocations[consumer];
            entry.count += 1;
            entry.records += event.Records.length;
            entry.billedMs += Math.ceil(performance.now() - started);
          }
        },
        handle: (req, res) => {
          if (req.url === "/_/cost/reset") {
            proxies.sqs?.reset();
            proxies.dynamodb?.reset();
            for (const name of Object.keys(invocations)) delete invocations[name];
            logBytes = 0;
          } else if (req.url !== "/_/cost") return false;
          res.writeHead(200, { "content-type": "application/json" });
          res.end(
            JSON.stringify({
              sqs: proxies.sqs?.tally(),
              dynamodb: proxies.dynamodb?.tally(),
              invocations,
              logBytes,
            }),
          );
          return true;
        },
        stop: async () => {
          await proxies.sqs?.close();
          await proxies.dynamodb?.close();
        },
      };
    },
  });
  const emf = {
    edge: emfBytes((m) => {
      m.addMetric(EDGE_METRICS.received, "Count", 1);
      m.addMetric(EDGE_METRICS.queued, "Count", 1);
      m.publishStoredMetrics();
    }),
    consumer: emfBytes((m) =>
      publishCounts(m, "archive", { processed: 2, failed: 0, duplicate: 0, filtered: 0 }),
    ),
  };
  logBytes = 0;
  write(`${JSON.stringify({ url: runtime.url, consumers: runtime.consumers, emf })}\n`);
  process.stdin.resume();
  process.stdin.on("end", () => {
    void runtime.stop().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
