/**
 * Fault injection for the soak test (`npm run soak`): a fault hook the soak's runtime entry point
 * (`soak/runtime.ts`) gives the local runtime. `npm start` never loads it.
 *
 * - TCP proxies in front of fauxqs (SQS) and dynalite (DynamoDB): the ingest handler's and the
 *   pollers' SQS client and the consumers' DynamoDB client go through them, so an outage is a
 *   closed port (ECONNREFUSED / ECONNRESET), as when the service cannot be reached.
 * - Consumer handlers wrapped: a record whose body contains `LOCAL_POISON_MARKER` fails every
 *   time in the consumers listed in `LOCAL_POISON_CONSUMERS` (default `github`), and any record
 *   fails at random with probability `LOCAL_CONSUMER_FAILURE_RATE` — both *before* the real
 *   handler sees it, so no side effect happens. Each injected failure prints one line.
 * - `POST /_/faults?sqs=down|up&dynamodb=down|up&consumerFailureRate=0.1` on the runtime's
 *   HTTP server (127.0.0.1 only) switches them while it runs and answers the current state;
 *   `GET /_/faults` only answers the state. Nothing else changes it: a GET with switches, or any
 *   other method, is answered 405.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { SqsConsumerHandler } from "../src/consumers/types";
import type { LocalEndpoints, LocalFaultHook, LocalFaults } from "../src/local/fault-hook";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy";

type Env = Readonly<Record<string, string | undefined>>;
type Log = (line: string) => void;

/** What the faults switch while the runtime runs. */
interface FaultState {
  proxies: Record<keyof LocalEndpoints, TcpProxy>;
  marker: string | undefined;
  poisonConsumers: Set<string>;
  failureRate: number;
  log: Log;
}

/**
 * The soak's fault hook, configured from `LOCAL_POISON_MARKER`, `LOCAL_POISON_CONSUMERS` and
 * `LOCAL_CONSUMER_FAILURE_RATE`.
 *
 * @example
 * await startLocalRuntime({ faults: soakFaults(process.env) });
 */
export function soakFaults(env: Env): LocalFaultHook {
  return async (targets, log) => {
    const state: FaultState = {
      proxies: { sqs: await startTcpProxy(targets.sqs), dynamodb: await startTcpProxy(targets.dynamodb) },
      marker: env.LOCAL_POISON_MARKER || undefined,
      poisonConsumers: new Set((env.LOCAL_POISON_CONSUMERS ?? "github").split(",").filter(Boolean)),
      failureRate: Number(env.LOCAL_CONSUMER_FAILURE_RATE ?? 0) || 0,
      log,
    };
    return faultsOf(state);
  };
}

function faultsOf(state: FaultState): LocalFaults {
  const { proxies } = state;
  return {
    endpoints: { sqs: proxies.sqs.endpoint, dynamodb: proxies.dynamodb.endpoint },
    wrapHandler: (name, inner) => failingHandler(state, name, inner),
    handle: (req, res) => handleFaultsRequest(state, req, res),
    async stop() {
      await proxies.sqs.stop();
      await proxies.dynamodb.stop();
    },
  };
}

/** Fails poison and (at random) other records before `inner` sees them; `inner` gets the rest. */
function failingHandler(state: FaultState, name: string, inner: SqsConsumerHandler): SqsConsumerHandler {
  return async (event: SQSEvent, context) => {
    const failures: SQSBatchResponse["batchItemFailures"] = [];
    const pass = event.Records.filter((record) => {
      const poison =
        state.marker !== undefined && state.poisonConsumers.has(name) && record.body.includes(state.marker);
      const random = !poison && state.failureRate > 0 && Math.random() < state.failureRate;
      if (!poison && !random) return true;
      failures.push({ itemIdentifier: record.messageId });
      state.log(`  ⚡ ${name} ${poison ? "poison" : "injected failure"} ${eventId(record.body)}`);
      return false;
    });
    if (pass.length === 0) return { batchItemFailures: failures };
    const result = await inner({ ...event, Records: pass }, context);
    return { batchItemFailures: [...failures, ...(result?.batchItemFailures ?? [])] };
  };
}

/**
 * `POST /_/faults?sqs=down|up&dynamodb=down|up&consumerFailureRate=F`: switches, then answers the
 * state; `GET /_/faults` answers the state; anything else there is refused with 405.
 */
function handleFaultsRequest(state: FaultState, req: IncomingMessage, res: ServerResponse): boolean {
  const url = new URL(req.url ?? "/", "http://local");
  if (url.pathname !== "/_/faults") return false;
  const switches = req.method === "POST";
  if (!switches && (req.method !== "GET" || url.search !== "")) {
    res.writeHead(405, { allow: "GET, POST", "content-type": "application/json" });
    res.end(JSON.stringify({ error: "method_not_allowed", message: "faults switch on POST only" }));
    return true;
  }
  void (async () => {
    if (switches) await switchFaults(state, url.searchParams);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        sqs: state.proxies.sqs.isUp() ? "up" : "down",
        dynamodb: state.proxies.dynamodb.isUp() ? "up" : "down",
        consumerFailureRate: state.failureRate,
      }),
    );
  })();
  return true;
}

async function switchFaults(state: FaultState, params: URLSearchParams): Promise<void> {
  for (const name of ["sqs", "dynamodb"] as const) await switchProxy(state, name, params.get(name));
  const rate = params.get("consumerFailureRate");
  if (rate !== null && !Number.isNaN(Number(rate))) {
    state.failureRate = Number(rate);
    state.log(`  ⚡ fault: consumer failure rate ${state.failureRate}`);
  }
}

async function switchProxy(state: FaultState, name: keyof LocalEndpoints, wanted: string | null) {
  const proxy = state.proxies[name];
  if (wanted === "down" && proxy.isUp()) {
    await proxy.down();
    state.log(`  ⚡ fault: ${name} unreachable`);
  } else if (wanted === "up" && !proxy.isUp()) {
    await proxy.up();
    state.log(`  ⚡ fault: ${name} reachable again`);
  }
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
