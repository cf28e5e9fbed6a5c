import { type MessageAttributeValue, SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { Deadline, OutboundMessage, QueuePort } from "../ports";

/**
 * {@link QueuePort} on Amazon SQS. The client is injected (configured once at cold start with
 * bounded timeouts and `cacheMiddleware: true`). No per-call options: any of them (an
 * `abortSignal` included) makes the SDK rebuild its middleware stack on every send, which was
 * the larger part of the edge's CPU per delivery. The deadline is enforced by the HTTP handler's
 * `requestTimeout` per attempt and by the publisher, which stops waiting when it passes.
 *
 * @example
 * const queue = new SqsQueue(new SQSClient({ maxAttempts: 3 }));
 * await queue.send({ queueUrl, body, attributes: { type, source, provider } }, deadlineIn(2000));
 */
export class SqsQueue implements QueuePort {
  constructor(private readonly client: SQSClient) {}

  async send(message: OutboundMessage, _deadline: Deadline): Promise<void> {
    const output = await this.client.send(
      new SendMessageCommand({
        QueueUrl: message.queueUrl,
        MessageBody: message.body,
        MessageAttributes: messageAttributes(message),
        MessageGroupId: message.groupId,
        MessageDeduplicationId: message.deduplicationId,
      }),
    );
    // A 200 without a message id is not an acceptance.
    if (!output.MessageId) throw new Error("SQS answered without a MessageId");
  }
}

/**
 * The SQS message attributes of an event's message, as the edge sends them (consumers' filters
 * read them).
 *
 * @example
 * messageAttributes(message).type // { DataType: "String", StringValue: "github.push" }
 */
export function messageAttributes(
  message: Pick<OutboundMessage, "attributes">,
): Record<string, MessageAttributeValue> {
  return {
    type: { DataType: "String", StringValue: message.attributes.type },
    source: { DataType: "String", StringValue: message.attributes.source },
    provider: { DataType: "String", StringValue: message.attributes.provider },
  };
}
