import { randomUUID } from "node:crypto";
import type { Logger } from "@aws-lambda-powertools/logger";
import type { Metrics } from "@aws-lambda-powertools/metrics";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { Context } from "aws-lambda";
import type { ConsumerFilter } from "../consumers/types";
import { readIngestLimits } from "../edge/config";
import { createIngestHandler, type IngestHandler } from "../edge/ingest-handler";
import type { OutboundMessage, QueuePort } from "../edge/ports";
import type { SignedRequest } from "../fixtures/sign";
import { functionUrlEvent } from "./function-url";

/** The webhook secrets the kit signs with and its edge verifies with (test values, never real ones). */
export const KIT_SECRETS = { github: "test-kit-github-secret", slack: "test-kit-slack-signing-secret" };

/** The edge's answer to one request. */
export interface EdgeAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface MemoryEdge {
  /** Sends one signed request through the real function URL handler; returns its answer and the messages it queued. */
  send(request: SignedRequest): Promise<{ answer: EdgeAnswer; messages: OutboundMessage[] }>;
}

const QUEUE_PREFIX = "memory://";
const context = { functionName: "ingest", awsRequestId: "test-kit" } as unknown as Context;

/**
 * The real edge (`createIngestHandler`: function URL adapter, verification, normalization,
 * routing, publishing) with an in-memory queue port: one route per consumer, named after it.
 *
 * @example
 * const edge = createMemoryEdge([{ name: "github", filter: { types: ["com.github.*"] } }], { logger, metrics });
 * const { answer, messages } = await edge.send(signFixture(fixture, KIT_SECRETS, Date.now()));
 */
export function createMemoryEdge(
  consumers: readonly { name: string; filter: ConsumerFilter }[],
  options: { logger: Logger; metrics: Metrics; now?: () => number },
): MemoryEdge {
  let sent: OutboundMessage[] = [];
  const queue: QueuePort = { send: async (message) => void sent.push(message) };
  const handler: IngestHandler = createIngestHandler({
    config: {
      routes: consumers.map((c) => ({ name: c.name, queueUrl: queueUrlOf(c.name), ...c.filter })),
      secrets: {
        github: { from: "env", values: [KIT_SECRETS.github] },
        slack: { from: "env", values: [KIT_SECRETS.slack] },
      },
      claimCheckBucket: undefined,
      ...readIngestLimits({}),
    },
    // Never called: the queue port below replaces the SQS adapter.
    clients: { sqs: new SQSClient({ region: "us-east-1" }) },
    logger: options.logger,
    metrics: options.metrics,
    app: { queue, now: options.now },
  });
  return {
    send: async (request) => {
      sent = [];
      const event = functionUrlEvent({ ...request, base64: true });
      // The edge always answers with a structured result, never a bare string.
      const result = (await handler(event, { ...context, awsRequestId: randomUUID() })) as Exclude<
        Awaited<ReturnType<IngestHandler>>,
        string
      >;
      const answer: EdgeAnswer = {
        status: result.statusCode ?? 200,
        headers: (result.headers ?? {}) as Record<string, string>,
        body: result.body ?? "",
      };
      return { answer, messages: sent };
    },
  };
}

/** The consumer a kit queue URL belongs to. */
export function consumerOfQueue(queueUrl: string): string {
  return queueUrl.slice(QUEUE_PREFIX.length);
}

function queueUrlOf(name: string): string {
  return `${QUEUE_PREFIX}${name}`;
}
