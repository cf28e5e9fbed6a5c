import type { Message } from "@aws-sdk/client-sqs";
import type { SQSMessageAttributes, SQSRecord, SQSRecordAttributes } from "aws-lambda";

export interface RecordSource {
  queueArn: string;
  region: string;
}

/**
 * Builds the record Lambda's SQS event source mapping would hand the function for a received
 * message: camel-cased fields, system attributes as strings, message attributes with empty
 * `stringListValues`/`binaryListValues` and binary values in base64.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#example-standard-queue-message-event
 * @example
 * const record = recordFromMessage(message, { queueArn: "arn:aws:sqs:us-east-1:000000000000:archive", region: "us-east-1" });
 * record.eventSource // "aws:sqs"
 */
export function recordFromMessage(message: Message, source: RecordSource): SQSRecord {
  if (!message.MessageId || !message.ReceiptHandle || message.Body === undefined) {
    throw new Error("SQS returned a message without MessageId, ReceiptHandle or Body");
  }
  const system = (message.Attributes ?? {}) as Record<string, string | undefined>;
  const attributes: SQSRecordAttributes = {
    ApproximateReceiveCount: system.ApproximateReceiveCount ?? "1",
    SentTimestamp: system.SentTimestamp ?? "",
    SenderId: system.SenderId ?? "",
    ApproximateFirstReceiveTimestamp: system.ApproximateFirstReceiveTimestamp ?? "",
  };
  for (const name of [
    "SequenceNumber",
    "MessageGroupId",
    "MessageDeduplicationId",
    "AWSTraceHeader",
    "DeadLetterQueueSourceArn",
  ] as const) {
    const value = system[name];
    if (value !== undefined) attributes[name] = value;
  }
  const messageAttributes: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      ...(value.StringValue !== undefined && { stringValue: value.StringValue }),
      ...(value.BinaryValue !== undefined && {
        binaryValue: Buffer.from(value.BinaryValue).toString("base64"),
      }),
      stringListValues: [],
      binaryListValues: [],
      dataType: value.DataType ?? "String",
    };
  }
  const record: SQSRecord = {
    messageId: message.MessageId,
    receiptHandle: message.ReceiptHandle,
    body: message.Body,
    attributes,
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? "",
    eventSource: "aws:sqs",
    eventSourceARN: source.queueArn,
    awsRegion: source.region,
  };
  if (message.MD5OfMessageAttributes) record.md5OfMessageAttributes = message.MD5OfMessageAttributes;
  return record;
}
