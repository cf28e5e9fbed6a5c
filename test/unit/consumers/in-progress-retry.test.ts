import { ChangeMessageVisibilityCommand, type SQSClient } from "@aws-sdk/client-sqs";
import {
  EventSourceArnError,
  inProgressRetrySeconds,
  queueUrlFromArn,
  retryInProgressSoon,
} from "../../../src/consumers/in-progress-retry";
import { githubEvent, githubExample, sqsRecord } from "../../helpers/factories";

describe("inProgressRetrySeconds", () => {
  it("starts at 2 s and doubles with each receive, up to 60 s", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(inProgressRetrySeconds)).toEqual([2, 4, 8, 16, 32, 60, 60]);
  });

  it("waits 30 s in all over the first four receives: the default function timeout, before the default 5th and last", () => {
    expect([1, 2, 3, 4].map(inProgressRetrySeconds).reduce((a, b) => a + b)).toBe(30);
  });

  it("treats a missing or odd receive count as the first receive", () => {
    expect([Number.NaN, 0, -1, 1.5].map(inProgressRetrySeconds)).toEqual([2, 2, 2, 2]);
  });
});

describe("queueUrlFromArn", () => {
  it("builds the queue URL AWS gives a queue ARN", () => {
    expect(queueUrlFromArn("arn:aws:sqs:eu-west-1:123456789012:gw-dev-archive")).toBe(
      "https://sqs.eu-west-1.amazonaws.com/123456789012/gw-dev-archive",
    );
    expect(queueUrlFromArn("arn:aws:sqs:us-east-2:123456789012:gw-dev-slack.fifo")).toBe(
      "https://sqs.us-east-2.amazonaws.com/123456789012/gw-dev-slack.fifo",
    );
    expect(queueUrlFromArn("arn:aws-cn:sqs:cn-north-1:123456789012:q")).toBe(
      "https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q",
    );
  });

  it("refuses an ARN that is not an SQS queue's", () => {
    expect(() => queueUrlFromArn("arn:aws:sns:us-east-1:123456789012:topic")).toThrow(EventSourceArnError);
    expect(() => queueUrlFromArn("consumer")).toThrow("Not an SQS queue ARN: consumer");
  });
});

describe("retryInProgressSoon", () => {
  const event = githubEvent({ name: "push", payload: githubExample("push") });

  function fakeSqs() {
    const sent: unknown[] = [];
    const sqs = { send: async (command: ChangeMessageVisibilityCommand) => void sent.push(command) };
    return { sent, sqs: sqs as unknown as SQSClient };
  }

  it("changes the record's visibility, on the queue derived from its ARN, by its receive count", async () => {
    const { sent, sqs } = fakeSqs();
    const record = sqsRecord(event, { eventSourceARN: "arn:aws:sqs:us-east-1:123456789012:gw-dev-archive" });
    record.attributes.ApproximateReceiveCount = "2";

    expect(await retryInProgressSoon({ sqs }, record)).toBe(4);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toBeInstanceOf(ChangeMessageVisibilityCommand);
    expect((sent[0] as ChangeMessageVisibilityCommand).input).toEqual({
      QueueUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/gw-dev-archive",
      ReceiptHandle: record.receiptHandle,
      VisibilityTimeout: 4,
    });
  });

  it("uses the queue URL it is given (the local runtime's emulator)", async () => {
    const { sent, sqs } = fakeSqs();
    const queueUrl = "http://127.0.0.1:4566/000000000000/archive";

    expect(await retryInProgressSoon({ sqs, queueUrl }, sqsRecord(event))).toBe(2);
    expect((sent[0] as ChangeMessageVisibilityCommand).input.QueueUrl).toBe(queueUrl);
  });
});
