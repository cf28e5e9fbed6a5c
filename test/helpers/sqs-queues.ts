/**
 * Real queues on fauxqs for consumer tests: a queue with its dead-letter queue and redrive
 * policy, sending events exactly as the edge does, and reading queues without disturbing them.
 */
import { randomUUID } from "node:crypto";
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { type GatewayEvent, serializeEvent } from "../../src/contract/event";
import { SqsQueue } from "../../src/edge/adapters/sqs-queue";
import { deadlineIn } from "../../src/edge/ports";

export interface QueuePair {
  queueUrl: string;
  queueArn: string;
  dlqUrl: string;
  dlqArn: string;
}

/** A queue whose messages move to its own DLQ after `maxReceiveCount` receives. */
export async function createQueuePair(
  sqs: SQSClient,
  options: {
    name?: string;
    maxReceiveCount?: number;
    visibilityTimeoutSeconds?: number;
    fifo?: boolean;
  } = {},
): Promise<QueuePair> {
  const base = options.name ?? `consumer-${randomUUID().slice(0, 8)}`;
  const suffix = options.fifo ? ".fifo" : "";
  const fifo = options.fifo ? { FifoQueue: "true" } : {};
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${base}-dlq${suffix}`, Attributes: fifo }));
  const dlqUrl = dlq.QueueUrl as string;
  const dlqArn = await queueArn(sqs, dlqUrl);
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${base}${suffix}`,
      Attributes: {
        ...fifo,
        VisibilityTimeout: String(options.visibilityTimeoutSeconds ?? 1),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlqArn,
          maxReceiveCount: options.maxReceiveCount ?? 3,
        }),
      },
    }),
  );
  const queueUrl = queue.QueueUrl as string;
  return { queueUrl, queueArn: await queueArn(sqs, queueUrl), dlqUrl, dlqArn };
}

async function queueArn(sqs: SQSClient, queueUrl: string): Promise<string> {
  const output = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["QueueArn"] }),
  );
  return output.Attributes?.QueueArn as string;
}

/** The message body the edge queues for an event (payload spliced, or the claim-check envelope). */
export function messageBody(event: GatewayEvent): string {
  const { data, ...attributes } = event;
  if (data === undefined) return JSON.stringify(attributes);
  return serializeEvent({ attributes, dataJson: JSON.stringify(data) });
}

/** Sends an event through the edge's own queue adapter (attributes `type`, `source`, `provider`). */
export async function sendEvent(
  sqs: SQSClient,
  queueUrl: string,
  event: GatewayEvent,
  fifo?: { groupId: string; deduplicationId?: string },
): Promise<void> {
  await new SqsQueue(sqs).send(
    {
      queueUrl,
      body: messageBody(event),
      attributes: { type: event.type, source: event.source, provider: event.provider },
      groupId: fifo?.groupId,
      deduplicationId: fifo ? (fifo.deduplicationId ?? event.id) : undefined,
    },
    deadlineIn(5000),
  );
}

/** Sends an arbitrary body (a malformed message, say). */
export async function sendRaw(sqs: SQSClient, queueUrl: string, body: string): Promise<string> {
  const output = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  return output.MessageId as string;
}

/** Visible and in-flight message counts. */
export async function queueDepth(
  sqs: SQSClient,
  queueUrl: string,
): Promise<{ visible: number; inFlight: number }> {
  const output = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return {
    visible: Number(output.Attributes?.ApproximateNumberOfMessages),
    inFlight: Number(output.Attributes?.ApproximateNumberOfMessagesNotVisible),
  };
}

/**
 * Receives every visible message (hiding them for `hideSeconds`, so each is read once) — for
 * reading a dead-letter queue's contents.
 */
export async function receiveAll(sqs: SQSClient, queueUrl: string, hideSeconds = 30): Promise<Message[]> {
  const messages: Message[] = [];
  for (;;) {
    const output = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: hideSeconds,
        MessageAttributeNames: ["All"],
        MessageSystemAttributeNames: ["All"],
      }),
    );
    if (!output.Messages?.length) return messages;
    messages.push(...output.Messages);
  }
}

/**
 * Moves every message of a dead-letter queue back to its source queue, body and attributes
 * intact, the way an operator's DLQ redrive does.
 */
export async function redrive(sqs: SQSClient, fromUrl: string, toUrl: string): Promise<number> {
  const messages = await receiveAll(sqs, fromUrl);
  for (const message of messages) {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: toUrl,
        MessageBody: message.Body,
        MessageAttributes: message.MessageAttributes,
      }),
    );
    await sqs.send(new DeleteMessageCommand({ QueueUrl: fromUrl, ReceiptHandle: message.ReceiptHandle }));
  }
  return messages.length;
}
