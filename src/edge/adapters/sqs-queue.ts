import { type MessageAttributeValue, SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { Deadline, OutboundMessage, QueuePort } from "../ports";

/**
 * {@link QueuePort} on Amazon SQS. The client is injected (configured once at cold start with
 * bounded timeouts); the request's deadline aborts the call.
 *
 * @example
 * const queue = new SqsQueue(new SQSClient({ maxAttempts: 3 }));
 * await queue.send({ queueUrl, body, attributes: { type, source, provider } }, deadlineIn(2000));
 */
export class SqsQueue implements QueuePort {
  constructor(private readonly client: SQSClient) {}

  async send(message: OutboundMessage, deadline: Deadline): Promise<void> {
    const attributes: Record<string, MessageAttributeValue> = {
      type: { DataType: "String", StringValue: message.attributes.type },
      source: { DataType: "String", StringValue: message.attributes.source },
      provider: { DataType: "String", StringValue: message.attributes.provider },
    };
    const output = await this.client.send(
      new SendMessageCommand({
        QueueUrl: message.queueUrl,
        MessageBody: message.body,
        MessageAttributes: attributes,
        MessageGroupId: message.groupId,
        MessageDeduplicationId: message.deduplicationId,
      }),
      { abortSignal: deadline.signal() },
    );
    // A 200 without a message id is not an acceptance.
    if (!output.MessageId) throw new Error("SQS answered without a MessageId");
  }
}
