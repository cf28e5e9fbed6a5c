/**
 * Fault injection for the soak test (`npm run soak`), loaded by the local runtime only when
 * `LOCAL_FAULTS=1`. Nothing here runs otherwise.
 *
 * - TCP proxies in front of fauxqs (SQS) and dynalite (DynamoDB): the ingest handler's and the
 *   pollers' SQS client and the consumers' DynamoDB client go through them, so an outage is a
 *   closed port (ECONNREFUSED / ECONNRESET), as when the service cannot be reached.
 * - Consumer handlers wrapped: a record whose body contains `LOCAL_POISON_MARKER` fails every
 *   time in the consumers listed in `LOCAL_POISON_CONSUMERS` (default `github`), and any record
 *   fails at random with probability `LOCAL_CONSUMER_FAILURE_RATE` — both *before* the real
 *   handler sees it, so no side effect happens. Each injected failure prints one line.
 * - `GET|POST /_/faults?sqs=down|up&dynamodb=down|up&consumerFailureRate=0.1` on the runtime's
 *   HTTP server switches them while it runs and answers the current state.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { SqsConsumerHandler } from "../src/consumers/types";
import { startTcpProxy } from "./tcp-proxy";

export interface Faults {
  /** The endpoints to use instead of the emulators' own. */
  sqs: string;
  dynamodb: string;
  /** Replaces every handler of the map by one that injects failures. */
  wrapHandlers(handlers: Map<string, SqsConsumerHandler>): void;
  /** Serves `/_/faults`; false for any other request. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  stop(): Promise<void>;
}

export async function startFaults(
  env: Readonly<Record<string, string | undefined>>,
  targets: { sqs: string; dynamodb: string },
  log: (line: string) => void,
): Promise<Faults | undefined> {
  if (env.LOCAL_FAULTS !== "1") return undefined;
  const proxies = {
    sqs: await startTcpProxy(targets.sqs),
    dynamodb: await startTcpProxy(targets.dynamodb),
  };
  const marker = env.LOCAL_POISON_MARKER || undefined;
  const poisonConsumers = new Set((env.LOCAL_POISON_CONSUMERS ?? "github").split(",").filter(Boolean));
  let failureRate = Number(env.LOCAL_CONSUMER_FAILURE_RATE ?? 0) || 0;

  const state = () => ({
    sqs: proxies.sqs.isUp() ? "up" : "down",
    dynamodb: proxies.dynamodb.isUp() ? "up" : "down",
    consumerFailureRate: failureRate,
  });

  return {
    sqs: proxies.sqs.endpoint,
    dynamodb: proxies.dynamodb.endpoint,
    wrapHandlers(handlers) {
      for (const [name, inner] of handlers) {
        const wrapped: SqsConsumerHandler = async (event: SQSEvent, context) => {
          const failures: SQSBatchResponse["batchItemFailures"] = [];
          const pass = event.Records.filter((record) => {
            const poison = marker !== undefined && poisonConsumers.has(name) && record.body.includes(marker);
            const random = !poison && failureRate > 0 && Math.random() < failureRate;
            if (!poison && !random) return true;
            failures.push({ itemIdentifier: record.messageId });
            log(`  ⚡ ${name} ${poison ? "poison" : "injected failure"} ${eventId(record.body)}`);
            return false;
          });
          if (pass.length === 0) return { batchItemFailures: failures };
          const result = await inner({ ...event, Records: pass }, context);
          return { batchItemFailures: [...failures, ...(result?.batchItemFailures ?? [])] };
        };
        handlers.set(name, wrapped);
      }
    },
    handle(req, res) {
      const url = new URL(req.url ?? "/", "http://local");
      if (url.pathname !== "/_/faults") return false;
      void (async () => {
        for (const name of ["sqs", "dynamodb"] as const) {
          const wanted = url.searchParams.get(name);
          if (wanted === "down" && proxies[name].isUp()) {
            await proxies[name].down();
            log(`  ⚡ fault: ${name} unreachable`);
          } else if (wanted === "up" && !proxies[name].isUp()) {
            await proxies[name].up();
            log(`  ⚡ fault: ${name} reachable again`);
          }
        }
        const rate = url.searchParams.get("consumerFailureRate");
        if (rate !== null && !Number.isNaN(Number(rate))) {
          failureRate = Number(rate);
          log(`  ⚡ fault: consumer failure rate ${failureRate}`);
        }
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(state()));
      })();
      return true;
    },
    async stop() {
      await proxies.sqs.stop();
      await proxies.dynamodb.stop();
    },
  };
}

function eventId(body: string): string {
  try {
    const parsed = JSON.parse(body) as { id?: unknown };
    if (typeof parsed.id === "string") return parsed.id;
  } catch {
    // fall through
  }
  return /"id"\s*:\s*"([^"]+)"/.exec(body)?.[1] ?? "?";
}
