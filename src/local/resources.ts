import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  QueueNameExists,
  SetQueueAttributesCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
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
    const dlqUrl = await createOrUpdateQueue(sqs, dlqName, {
      ...fifo,
      MessageRetentionPeriod: String(DLQ_RETENTION_SECONDS),
      MaximumMessageSize: String(SQS_MAX_MESSAGE_BYTES),
    });
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }),
    );
    const visibility = options.visibilityTimeoutSeconds ?? visibilityTimeoutSeconds(consumer);
    const name = `${consumer.name}${suffix}`;
    const url = await createOrUpdateQueue(sqs, name, {
      ...fifo,
      VisibilityTimeout: String(visibility),
      MaximumMessageSize: String(SQS_MAX_MESSAGE_BYTES),
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: Attributes!.QueueArn,
        maxReceiveCount: consumer.maxReceiveCount,
      }),
    });
    queues.push({
      consumer,
      name,
      url,
      dlqName,
      dlqUrl,
      visibilityTimeoutSeconds: visibility,
    });
  }
  return queues;
}

/**
 * Creates a queue, or gives one kept from an earlier run (in the data directory) the attributes
 * asked for; answers its URL on the client's endpoint (a kept queue's URL names the port of the
 * run that created it).
 */
async function createOrUpdateQueue(
  sqs: SQSClient,
  name: string,
  attributes: Record<string, string>,
): Promise<string> {
  let url: string;
  try {
    url = (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;
  } catch (error) {
    if (!isQueueNameExists(error)) throw error;
    url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
    const { FifoQueue: _fixed, ...settable } = attributes;
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: settable }));
  }
  const endpoint = await sqs.config.endpoint?.();
  if (!endpoint) return url;
  const { pathname } = new URL(url);
  return `${endpoint.protocol}//${endpoint.hostname}${endpoint.port ? `:${endpoint.port}` : ""}${pathname}`;
}

/** fauxqs names the error with its query-protocol prefix (`AWS.SimpleQueueService.QueueNameExists`). */
function isQueueNameExists(error: unknown): boolean {
  return (
    error instanceof QueueNameExists || (error instanceof Error && error.name.endsWith(".QueueNameExists"))
  );
}
