import { createHash } from "node:crypto";
import { recordFromMessage } from "../../../src/local/lambda/event-source-mapping";

const source = { queueArn: "arn:aws:sqs:us-east-1:000000000000:archive", region: "us-east-1" };

test("a received message becomes the record Lambda would deliver", () => {
  const body = '{"id":"github:1"}';
  const record = recordFromMessage(
    {
      MessageId: "059f36b4-87a3-44ab-83d2-661975830a7d",
      ReceiptHandle: "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a",
      Body: body,
      MD5OfBody: createHash("md5").update(body).digest("hex"),
      MD5OfMessageAttributes: "00484c68...59e48fb7",
      Attributes: {
        ApproximateReceiveCount: "2",
        SentTimestamp: "1545082649183",
        SenderId: "AIDAIENQZJOLO23YVJ4VO",
        ApproximateFirstReceiveTimestamp: "1545082649185",
      },
      MessageAttributes: {
        type: { DataType: "String", StringValue: "com.github.push" },
        blob: { DataType: "Binary", BinaryValue: Uint8Array.from([1, 2, 3]) },
      },
    },
    source,
  );

  expect(record).toEqual({
    messageId: "059f36b4-87a3-44ab-83d2-661975830a7d",
    receiptHandle: "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a",
    body,
    attributes: {
      ApproximateReceiveCount: "2",
      SentTimestamp: "1545082649183",
      SenderId: "AIDAIENQZJOLO23YVJ4VO",
      ApproximateFirstReceiveTimestamp: "1545082649185",
    },
    messageAttributes: {
      type: {
        stringValue: "com.github.push",
        stringListValues: [],
        binaryListValues: [],
        dataType: "String",
      },
      blob: { binaryValue: "AQID", stringListValues: [], binaryListValues: [], dataType: "Binary" },
    },
    md5OfBody: createHash("md5").update(body).digest("hex"),
    md5OfMessageAttributes: "00484c68...59e48fb7",
    eventSource: "aws:sqs",
    eventSourceARN: source.queueArn,
    awsRegion: "us-east-1",
  });
});

test("FIFO attributes are carried over", () => {
  const record = recordFromMessage(
    {
      MessageId: "m",
      ReceiptHandle: "r",
      Body: "{}",
      Attributes: {
        ApproximateReceiveCount: "1",
        SentTimestamp: "1",
        SenderId: "s",
        ApproximateFirstReceiveTimestamp: "1",
        MessageGroupId: "octo/repo",
        MessageDeduplicationId: "github:1",
        SequenceNumber: "18849496460467696128",
      },
    },
    source,
  );

  expect(record.attributes).toMatchObject({
    MessageGroupId: "octo/repo",
    MessageDeduplicationId: "github:1",
    SequenceNumber: "18849496460467696128",
  });
  expect(record.messageAttributes).toEqual({});
});
