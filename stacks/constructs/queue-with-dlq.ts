import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueueRedriveAllowPolicy } from "@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import {
  DLQ_RETENTION_SECONDS,
  QUEUE_RETENTION_SECONDS,
  SQS_MAX_MESSAGE_BYTES,
} from "../../src/contract/limits";

// The largest message is set explicitly so that the edge's claim-check threshold matches the queue.
const MAX_MESSAGE_SIZE = SQS_MAX_MESSAGE_BYTES;

export interface QueueWithDlqProps {
  /** Queue name without `.fifo`; the DLQ is `<name>-dlq`. */
  name: string;
  fifo: boolean;
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
}

/**
 * A consumer queue and its dead-letter queue, both encrypted with SQS-managed keys. The queue's
 * redrive policy sends a message to the DLQ after `maxReceiveCount` receives; the DLQ's redrive
 * allow policy accepts only this queue as a source.
 *
 * @example
 * const { queue, dlq } = new QueueWithDlq(this, "q", { name: "gw-dev-archive", fifo: false, visibilityTimeoutSeconds: 181, maxReceiveCount: 5 });
 */
export class QueueWithDlq extends Construct {
  readonly queue: SqsQueue;
  readonly dlq: SqsQueue;

  constructor(scope: Construct, id: string, props: QueueWithDlqProps) {
    super(scope, id);
    const suffix = props.fifo ? ".fifo" : "";
    const fifo = props.fifo ? { fifoQueue: true, contentBasedDeduplication: false } : {};
    this.dlq = new SqsQueue(this, "dlq", {
      name: `${props.name}-dlq${suffix}`,
      ...fifo,
      sqsManagedSseEnabled: true,
      maxMessageSize: MAX_MESSAGE_SIZE,
      messageRetentionSeconds: DLQ_RETENTION_SECONDS,
    });
    this.queue = new SqsQueue(this, "queue", {
      name: `${props.name}${suffix}`,
      ...fifo,
      sqsManagedSseEnabled: true,
      maxMessageSize: MAX_MESSAGE_SIZE,
      // Fixed: the claim-check expiry is validated against it (MAX_MESSAGE_LIFE_SECONDS).
      messageRetentionSeconds: QUEUE_RETENTION_SECONDS,
      visibilityTimeoutSeconds: props.visibilityTimeoutSeconds,
      redrivePolicy: Fn.jsonencode({
        deadLetterTargetArn: this.dlq.arn,
        maxReceiveCount: props.maxReceiveCount,
      }),
    });
    new SqsQueueRedriveAllowPolicy(this, "dlq-allow", {
      queueUrl: this.dlq.url,
      redriveAllowPolicy: Fn.jsonencode({ redrivePermission: "byQueue", sourceQueueArns: [this.queue.arn] }),
    });
  }
}
