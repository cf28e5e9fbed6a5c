/**
 * The contenders of the throughput and scaling benchmarks. Each one turns a corpus into a
 * prepared pass (untimed: request objects, events, clients) and then handles every request of the
 * corpus once per `run()`, one request at a time, the way one Lambda instance does.
 */
import { createHmac } from "node:crypto";
import { Socket } from "node:net";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { Webhooks } from "@octokit/webhooks";
import { App, AwsLambdaReceiver, LogLevel } from "@slack/bolt";
import { createIngestApp } from "../../src/edge/app";
import { loadIngestConfig } from "../../src/edge/config";
import type { Gateway } from "../../src/edge/gateway";
import type { GatewayRequest } from "../../src/edge/http";
import type { ClaimCheckPort, OutboundMessage, QueuePort } from "../../src/edge/ports";
import { type BenchRequest, GITHUB_SECRET, SLACK_SECRET } from "./corpus";

export interface Prepared {
  /** Handles every request of the corpus once. */
  run(): Promise<void> | void;
  /** Handles every request once more and returns what went wrong (wrong status, exceptions). */
  check(): Promise<string[]>;
}

export interface Contender {
  name: string;
  /** One line for the report: what exactly this contender does per request. */
  description: string;
  prepare(corpus: readonly BenchRequest[]): Prepared;
}

/** A queue that accepts everything at once and only counts: the cost measured is the edge's own. */
export class MemoryQueue implements QueuePort {
  sent = 0;
  bytes = 0;
  async send(message: OutboundMessage): Promise<void> {
    this.sent += 1;
    this.bytes += message.body.length;
  }
}

/** A claim-check store that keeps nothing (events over SQS's 1 MiB, in the scaling benchmark). */
export class MemoryClaimCheck implements ClaimCheckPort {
  stored = 0;
  async put(eventId: string): Promise<string> {
    this.stored += 1;
    return `s3://bench/${encodeURIComponent(eventId)}`;
  }
}

/**
 * The real edge core, wired as the Lambda handler wires it (`createIngestApp` from the same
 * configuration reader) but with one catch-all route on an in-memory queue.
 *
 * @example
 * const gateway = benchGateway(new MemoryQueue());
 */
export function benchGateway(queue: QueuePort, claimCheck?: ClaimCheckPort): Gateway {
  const config = loadIngestConfig({
    GATEWAY_ROUTES: JSON.stringify([
      { name: "bench", queueUrl: "https://sqs.us-east-1.amazonaws.com/000000000000/bench" },
    ]),
    GITHUB_WEBHOOK_SECRET: GITHUB_SECRET,
    SLACK_SIGNING_SECRET: SLACK_SECRET,
  });
  // Never used: the queue port replaces the SQS adapter. Constructing it makes no request.
  const sqs = new SQSClient({ region: "us-east-1" });
  return createIngestApp(config, { sqs }, { queue, claimCheck });
}

export function edge(claimCheck?: ClaimCheckPort): Contender & { queue: MemoryQueue } {
  const queue = new MemoryQueue();
  const gateway = benchGateway(queue, claimCheck);
  return {
    name: "edge",
    description:
      "`createIngestApp` (config from `loadIngestConfig`, one catch-all route, in-memory `QueuePort`): route, verify, decode, parse, depth check, normalize, serialize, publish",
    queue,
    prepare(corpus) {
      const requests: GatewayRequest[] = corpus.map((r) => ({
        method: r.method,
        path: r.path,
        headers: r.headers,
        body: r.body,
      }));
      return {
        async run() {
          for (const request of requests) await gateway(request);
        },
        async check() {
          const problems: string[] = [];
          for (let i = 0; i < requests.length; i++) {
            const { response } = await gateway(requests[i]!);
            if (response.statusCode !== corpus[i]!.status)
              problems.push(`${corpus[i]!.name}: ${response.statusCode} ${response.body}`);
          }
          return problems;
        },
      };
    },
  };
}

/** HMAC-SHA256 over the signed bytes, as each provider defines them (no comparison). */
function hmac(r: BenchRequest, secret: string): Buffer {
  const mac = createHmac("sha256", secret);
  if (r.provider === "slack") mac.update(`v0:${r.headers["x-slack-request-timestamp"]}:`);
  return mac.update(r.body).digest();
}

/** JSON.parse of the body; for form bodies, of their `payload` field when there is one. */
function parse(r: BenchRequest, text: string): unknown {
  if (r.headers["content-type"]?.startsWith("application/json")) return JSON.parse(text);
  const payload = new URLSearchParams(text).get("payload");
  return payload === null ? undefined : JSON.parse(payload);
}

/**
 * The floor: HMAC-SHA256 of the body plus `JSON.parse`, nothing else (the body is handed over
 * already decoded, so not even UTF-8 decoding is counted). No correct verifier can do less.
 */
export function floor(): Contender {
  return {
    name: "floor",
    description:
      "HMAC-SHA256 of the body (Slack: of `v0:<ts>:` + body) and `JSON.parse` of the pre-decoded text (form bodies: of their `payload` field); nothing else",
    prepare(corpus) {
      const secret = (r: BenchRequest) => (r.provider === "github" ? GITHUB_SECRET : SLACK_SECRET);
      return {
        run() {
          for (const r of corpus) {
            hmac(r, secret(r));
            parse(r, r.text);
          }
        },
        async check() {
          return [];
        },
      };
    },
  };
}

/** The floor plus the UTF-8 decoding of the bytes: what any verifier that receives bytes must add. */
export function floorDecode(): Contender {
  return {
    name: "floor+decode",
    description: "the floor, plus `buffer.toString('utf8')` of the received bytes (informational)",
    prepare(corpus) {
      const secret = (r: BenchRequest) => (r.provider === "github" ? GITHUB_SECRET : SLACK_SECRET);
      return {
        run() {
          for (const r of corpus) {
            hmac(r, secret(r));
            parse(r, r.body.toString("utf8"));
          }
        },
        async check() {
          return [];
        },
      };
    },
  };
}

/**
 * `@octokit/webhooks`: `verifyAndReceive` with one no-op `onAny` listener. The package (and
 * `@octokit/webhooks-methods`) export ESM only, hence the dynamic import.
 */
export async function octokit(): Promise<Contender> {
  const { Webhooks: WebhooksClass } = await import("@octokit/webhooks");
  const webhooks: Webhooks = new WebhooksClass({ secret: GITHUB_SECRET });
  let received = 0;
  webhooks.onAny(() => {
    received += 1;
  });
  return {
    name: "@octokit/webhooks",
    description:
      "`new Webhooks({ secret }).verifyAndReceive({ id, name, payload, signature })` with one no-op `onAny` listener",
    prepare(corpus) {
      const events = corpus.map((r) => ({
        id: r.headers["x-github-delivery"]!,
        // The examples' event names are all known to Octokit's emitter.
        name: r.headers["x-github-event"]! as Parameters<typeof webhooks.verifyAndReceive>[0]["name"],
        payload: r.text,
        signature: r.headers["x-hub-signature-256"]!,
      }));
      return {
        async run() {
          for (const event of events) await webhooks.verifyAndReceive(event);
        },
        async check() {
          const before = received;
          const problems: string[] = [];
          for (const event of events) {
            try {
              await webhooks.verifyAndReceive(event);
            } catch (error) {
              problems.push(`${event.name}: ${(error as Error).message}`);
            }
          }
          if (received - before !== events.length)
            problems.push(`listener ran ${received - before} times for ${events.length} events`);
          return problems;
        },
      };
    },
  };
}

/** Where Bolt's Web API client would connect: a closed local port, so a stray call fails fast. */
export const CLOSED_SLACK_API = "http://127.0.0.1:9/api/";

let connectAttempts = 0;
let connectGuarded = false;

/** Counts every outgoing TCP connection attempt in this process from now on. */
export function guardConnections(): () => number {
  if (!connectGuarded) {
    connectGuarded = true;
    const original = Socket.prototype.connect;
    Socket.prototype.connect = function (this: Socket, ...args: unknown[]) {
      connectAttempts += 1;
      return (original as (...a: unknown[]) => Socket).apply(this, args);
    } as typeof Socket.prototype.connect;
  }
  const start = connectAttempts;
  return () => connectAttempts - start;
}

/** API Gateway (REST, payload 1.0) header names as Slack sends them: `X-Slack-Signature`. */
function canonical(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

/**
 * Bolt 5: an `App` on `AwsLambdaReceiver`, fed API Gateway events through `toHandler()`, with one
 * no-op listener for each kind of request in the corpus (events, commands, actions, shortcuts,
 * views). `authorize` answers from memory and the Web API points at a closed port: no network.
 */
export function bolt(): Contender & { listened: () => number } {
  const receiver = new AwsLambdaReceiver({ signingSecret: SLACK_SECRET, logLevel: LogLevel.ERROR });
  const app = new App({
    receiver,
    authorize: async () => ({ botToken: "xoxb-bench", botId: "B0KRD7HC3", botUserId: "U0LAN0Z89" }),
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: CLOSED_SLACK_API },
  });
  let listened = 0;
  app.event(/.*/, async () => {
    listened += 1;
  });
  app.command(/.*/, async ({ ack }) => {
    listened += 1;
    await ack();
  });
  app.action(/.*/, async ({ ack }) => {
    listened += 1;
    await ack();
  });
  app.shortcut(/.*/, async ({ ack }) => {
    listened += 1;
    await ack();
  });
  app.view(/.*/, async ({ ack }) => {
    listened += 1;
    await ack();
  });
  const handler = receiver.toHandler();
  return {
    name: "Bolt AwsLambdaReceiver",
    description:
      "`new App({ receiver: new AwsLambdaReceiver(...), authorize })` with a no-op listener per request kind, through `receiver.toHandler()` with API Gateway events",
    listened: () => listened,
    prepare(corpus) {
      const events = corpus.map((r): Parameters<typeof handler>[0] => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(r.headers)) headers[canonical(name)] = value;
        return {
          resource: "/slack/events",
          path: "/slack/events",
          httpMethod: "POST",
          headers,
          multiValueHeaders: {},
          pathParameters: null,
          queryStringParameters: null,
          multiValueQueryStringParameters: null,
          stageVariables: null,
          isBase64Encoded: false,
          body: r.text,
          requestContext: {},
        };
      });
      return {
        async run() {
          for (const event of events) await handler(event, {});
        },
        async check() {
          const problems: string[] = [];
          for (let i = 0; i < events.length; i++) {
            const result = (await handler(events[i]!, {})) as { statusCode: number };
            if (result.statusCode !== 200) problems.push(`${corpus[i]!.name}: ${result.statusCode}`);
          }
          return problems;
        },
      };
    },
  };
}
