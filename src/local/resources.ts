import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { ConsumerDeployment } from "../config/gateway-config";
import { DLQ_RETENTION_SECONDS, SQS_MAX_MESSAGE_BYTES, visibilityTimeoutSeconds } from "../contract/limits";

export interface LocalQueue {
  consumer: ConsumerDeployment;
  name: string;
  url: string;
  dlqName: string;
  dlqUrl: string;
  visibilityTimeoutSeconds: number;
}

/**
 * Creates each consumer's queue and dead-letter queue the way the stack does: `<name>` and
 * `<name>-dlq` (`.fifo` for FIFO consumers), a 1 MiB message limit, a redrive policy with the
 * consumer's `maxReceiveCount`, and the stack's visibility timeout ({@link visibilityTimeoutSeconds})
 * unless `visibilityTimeoutSeconds` overrides it (quicker retries while developing).
 *
 * @example
 * const queues = await createLocalQueues(sqs, config.consumers);
 */
export async function createLocalQueues(
  sqs: SQSClient,
  consumers: readonly ConsumerDeployment[],
  options: { visibilityTimeoutSeconds?: number } = {},
): Promise<LocalQueue[]> {
  const queues: LocalQueue[] = [];
  for (const consumer of consumers) {
    const suffix = consumer.fifo ? ".fifo" : "";
    const fifo: Record<string, string> = consumer.fifo
      ? { FifoQueue: "true", ContentBasedDeduplication: "false" }
      : {};
    const dlqName = `${consumer.name}-dlq${suffix}`;
    const dlq = await sqs.send(
      new CreateQueueCommand({
        QueueName: dlqName,
        Attributes: {
          ...fifo,
          MessageRetentionPeriod: String(DLQ_RETENTION_SECONDS),
          MaximumMessageSize: String(SQS_MAX_MESSAGE_BYTES),
        },
      }),
    );
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ["QueueArn"] }),
    );
    const visibility = options.visibilityTimeoutSeconds ?? visibilityTimeoutSeconds(consumer);
    const name = `${consumer.name}${suffix}`;
    const queue = await sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: {
          ...fifo,
          VisibilityTimeout: String(visibility),
          MaximumMessageSize: String(SQS_MAX_MESSAGE_BYTES),
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: Attributes!.QueueArn,
            maxReceiveCount: consumer.maxReceiveCount,
          }),
        },
      }),
    );
    queues.push({
      consumer,
      name,
      url: queue.QueueUrl!,
      dlqName,
      dlqUrl: dlq.QueueUrl!,
      visibilityTimeoutSeconds: visibility,
    });
  }
  return queues;
}
