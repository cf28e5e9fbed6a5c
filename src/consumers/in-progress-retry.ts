import { ChangeMessageVisibilityCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { SQSRecord } from "aws-lambda";
import { ConsumerError } from "./errors";

/** The first retry of a copy that met another invocation's in-progress record, in seconds. */
export const IN_PROGRESS_RETRY_SECONDS = 2;
/** The longest retry delay; the doubling stops here. */
export const IN_PROGRESS_RETRY_MAX_SECONDS = 60;

/**
 * How soon a record that met an in-progress record comes back: 2 s, doubling with each receive
 * (4, 8, 16 …, at most 60). Every receive counts toward the queue's `maxReceiveCount`: with the
 * default 5, the four waits add up to 30 s, the default function timeout, after which the other
 * invocation has ended and its in-progress record has lapsed. (A copy dead-lettered nonetheless is
 * skipped as a duplicate when redriven.)
 *
 * @example
 * inProgressRetrySeconds(1) // 2
 * inProgressRetrySeconds(3) // 8
 */
export function inProgressRetrySeconds(receiveCount: number): number {
  const receives = Number.isInteger(receiveCount) && receiveCount >= 1 ? receiveCount : 1;
  return Math.min(IN_PROGRESS_RETRY_SECONDS * 2 ** (receives - 1), IN_PROGRESS_RETRY_MAX_SECONDS);
}

/** An event source ARN that is not an SQS queue's. */
export class EventSourceArnError extends ConsumerError {
  constructor(arn: string) {
    super("invalid_event_source_arn", `Not an SQS queue ARN: ${arn}`);
  }
}

/**
 * The queue URL of an SQS queue ARN, as AWS builds it (the record carries the ARN, not the URL).
 *
 * @example
 * queueUrlFromArn("arn:aws:sqs:eu-west-1:123456789012:gw-dev-archive")
 * // "https://sqs.eu-west-1.amazonaws.com/123456789012/gw-dev-archive"
 */
export function queueUrlFromArn(arn: string): string {
  const [prefix, partition, service, region, account, name] = arn.split(":");
  if (prefix !== "arn" || service !== "sqs" || !region || !account || !name) {
    throw new EventSourceArnError(arn);
  }
  const domain = partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
  return `https://sqs.${region}.${domain}/${account}/${name}`;
}

export interface InProgressRetryOptions {
  sqs: SQSClient;
  /** The consumer's queue; default: derived from each record's `eventSourceARN`. */
  queueUrl?: string;
}

/**
 * Makes a record that met an in-progress record visible again in {@link inProgressRetrySeconds},
 * instead of the queue's visibility timeout (`ChangeMessageVisibility` with its receipt handle;
 * the failed record is then left to SQS by the partial batch response). Resolves to the delay.
 *
 * @example
 * const seconds = await retryInProgressSoon({ sqs }, record); // 2
 */
export async function retryInProgressSoon(
  options: InProgressRetryOptions,
  record: SQSRecord,
): Promise<number> {
  const seconds = inProgressRetrySeconds(Number(record.attributes.ApproximateReceiveCount));
  await options.sqs.send(
    new ChangeMessageVisibilityCommand({
      QueueUrl: options.queueUrl ?? queueUrlFromArn(record.eventSourceARN),
      ReceiptHandle: record.receiptHandle,
      VisibilityTimeout: seconds,
    }),
  );
  return seconds;
}
