/**
 * The gap between the floor and the edge, step by step: each rung adds one stage of the edge,
 * using the edge's own functions from `src/`, so that measuring the rungs side by side shows
 * what each stage costs per event.
 */
import { createHmac } from "node:crypto";
import type { NormalizedEvent } from "../../src/contract/event";
import { serializeEvent } from "../../src/contract/event";
import { compileRoutes } from "../../src/contract/routing";
import type { GatewayRequest } from "../../src/edge/http";
import { decodeUtf8, parseJsonObject } from "../../src/edge/json";
import { receiveGitHub } from "../../src/edge/providers/github";
import { receiveSlack } from "../../src/edge/providers/slack";
import { createPublisher } from "../../src/edge/publisher";
import { benchGateway, type Contender, MemoryQueue } from "./contenders";
import { type BenchRequest, GITHUB_SECRET, SLACK_SECRET } from "./corpus";

const MAX_DEPTH = 64;

function secretOf(r: BenchRequest): string {
  return r.provider === "github" ? GITHUB_SECRET : SLACK_SECRET;
}

function mac(r: BenchRequest): Buffer {
  const hmac = createHmac("sha256", secretOf(r));
  if (r.provider === "slack") hmac.update(`v0:${r.headers["x-slack-request-timestamp"]}:`);
  return hmac.update(r.body).digest();
}

/** The JSON text a provider parses: the body, or the `payload` field of a form body. */
function jsonText(r: BenchRequest, text: string): string | undefined {
  if (r.headers["content-type"]?.startsWith("application/json")) return text;
  return new URLSearchParams(text).get("payload") ?? undefined;
}

function toGatewayRequest(r: BenchRequest): GatewayRequest {
  return { method: r.method, path: r.path, headers: r.headers, body: r.body };
}

function receive(request: GatewayRequest, provider: BenchRequest["provider"]) {
  return provider === "github"
    ? receiveGitHub(request, { secrets: [GITHUB_SECRET], maxDepth: MAX_DEPTH, now: Date.now() })
    : receiveSlack(request, { secrets: [SLACK_SECRET], maxDepth: MAX_DEPTH, now: Date.now() });
}

function eventOf(result: ReturnType<typeof receive>): NormalizedEvent | undefined {
  return result.kind === "event" ? result.event : undefined;
}

const noProblems = async (): Promise<string[]> => [];

function syncRung(name: string, description: string, step: (r: BenchRequest) => void): Contender {
  return {
    name,
    description,
    prepare(corpus) {
      return {
        run() {
          for (const r of corpus) step(r);
        },
        check: noProblems,
      };
    },
  };
}

/**
 * The rungs, cheapest first; the first is the floor and the last is the whole edge.
 *
 * @example
 * const results = await compare(ladder(), () => corpus, options, 0);
 */
export function ladder(): Contender[] {
  const routes = compileRoutes([
    { name: "bench", queueUrl: "https://sqs.us-east-1.amazonaws.com/000000000000/bench" },
  ]);
  const publish = createPublisher({ routes, queue: new MemoryQueue() });
  const gateway = benchGateway(new MemoryQueue());
  return [
    syncRung("floor", "HMAC + JSON.parse of the pre-decoded text", (r) => {
      mac(r);
      const json = jsonText(r, r.text);
      if (json !== undefined) JSON.parse(json);
    }),
    syncRung("+ UTF-8 check and decode", "`decodeUtf8` (isUtf8 + toString) of the bytes", (r) => {
      mac(r);
      const json = jsonText(r, decodeUtf8(r.body));
      if (json !== undefined) JSON.parse(json);
    }),
    syncRung("+ depth walk", "`parseJsonObject` (JSON.parse + depth walk) instead of JSON.parse", (r) => {
      mac(r);
      const json = jsonText(r, decodeUtf8(r.body));
      if (json !== undefined) parseJsonObject(json, MAX_DEPTH);
    }),
    {
      name: "receive (verify + normalize)",
      description:
        "`receiveGitHub` / `receiveSlack`: header checks, signature check with compare, decode, parse, depth, envelope attributes",
      prepare(corpus) {
        const requests = corpus.map(toGatewayRequest);
        return {
          run() {
            for (let i = 0; i < requests.length; i++) receive(requests[i]!, corpus[i]!.provider);
          },
          check: noProblems,
        };
      },
    },
    {
      name: "+ serializeEvent",
      description: "the above plus `serializeEvent` (envelope + spliced data + SQS-safe escape scan)",
      prepare(corpus) {
        const requests = corpus.map(toGatewayRequest);
        return {
          run() {
            for (let i = 0; i < requests.length; i++) {
              const event = eventOf(receive(requests[i]!, corpus[i]!.provider));
              if (event) serializeEvent(event).length;
            }
          },
          check: noProblems,
        };
      },
    },
    {
      name: "+ publish",
      description:
        "receive, then `createPublisher` with an in-memory queue: route match, AbortController + deadline timer, serialize, Promise.allSettled",
      prepare(corpus) {
        const requests = corpus.map(toGatewayRequest);
        return {
          async run() {
            for (let i = 0; i < requests.length; i++) {
              const event = eventOf(receive(requests[i]!, corpus[i]!.provider));
              if (event) await publish(event, 8000);
            }
          },
          check: noProblems,
        };
      },
    },
    {
      name: "edge (createIngestApp)",
      description: "the whole core: the above plus routing by path, secrets, response and outcome",
      prepare(corpus) {
        const requests = corpus.map(toGatewayRequest);
        return {
          async run() {
            for (const request of requests) await gateway(request);
          },
          check: noProblems,
        };
      },
    },
  ];
}
