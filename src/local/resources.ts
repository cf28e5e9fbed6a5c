import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { ConsumerDeployment } from "../config/gateway-config";

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
 * consumer's `maxReceiveCount`, and a visibility timeout of six times the consumer's timeout
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
        Attributes: { ...fifo, MessageRetentionPeriod: "1209600", MaximumMessageSize: "1048576" },
      }),
    );
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ["QueueArn"] }),
    );
    const visibility = options.visibilityTimeoutSeconds ?? Math.max(30, consumer.timeoutSeconds * 6 + 1);
    const name = `${consumer.name}${suffix}`;
    const queue = await sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: {
          ...fifo,
          VisibilityTimeout: String(visibility),
          MaximumMessageSize: "1048576",
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
