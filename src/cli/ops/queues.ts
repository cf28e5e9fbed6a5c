import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import { CommandError } from "../errors";

export interface ConsumerQueues {
  queueUrl: string;
  dlqUrl: string;
  fifo: boolean;
}

/**
 * Finds a consumer's queue and DLQ by name, as the stack names them (`<prefix><consumer>` and
 * `<prefix><consumer>-dlq`, `.fifo` for FIFO consumers; the prefix is `<name>-<stage>-` in AWS and
 * empty in the local runtime).
 *
 * @example
 * await consumerQueues(sqs, { prefix: "webhook-gateway-dev-", consumer: "archive", fifo: false })
 */
export async function consumerQueues(
  sqs: SQSClient,
  options: { prefix: string; consumer: string; fifo: boolean },
): Promise<ConsumerQueues> {
  const suffix = options.fifo ? ".fifo" : "";
  const url = async (name: string) => {
    try {
      return (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl!;
    } catch (error) {
      throw new CommandError("queue_not_found", `queue ${name} not found (${(error as Error).name})`, {
        cause: error,
      });
    }
  };
  const base = `${options.prefix}${options.consumer}`;
  return {
    queueUrl: await url(`${base}${suffix}`),
    dlqUrl: await url(`${base}-dlq${suffix}`),
    fifo: options.fifo,
  };
}

/**
 * Starts an SQS message move task from the DLQ back to its queue (AWS only) and returns its handle.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html
 *
 * @example
 * await startRedrive(sqs, queues) // "eyJ0YXNrSWQiOi…"
 */
export async function startRedrive(sqs: SQSClient, queues: ConsumerQueues): Promise<string> {
  const arn = async (QueueUrl: string) =>
    (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }))).Attributes!
      .QueueArn!;
  const output = await sqs.send(
    new StartMessageMoveTaskCommand({
      SourceArn: await arn(queues.dlqUrl),
      DestinationArn: await arn(queues.queueUrl),
    }),
  );
  return output.TaskHandle ?? "";
}

/** Approximate count of visible messages. */
export async function approximateCount(sqs: SQSClient, queueUrl: string): Promise<number> {
  const output = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }),
  );
  return Number(output.Attributes?.ApproximateNumberOfMessages ?? 0);
}

export interface MoveResult {
  moved: number;
  failed: number;
}

/**
 * The local equivalent of a message move task: receive from the DLQ, send to the queue (body,
 * message attributes, FIFO group and deduplication ids kept), then delete from the DLQ what the
 * queue accepted. Stops when the DLQ answers empty; a message the queue refused stays in the DLQ.
 *
 * @example
 * await moveMessages(sqs, queues, (moved) => bar.update(moved, total))
 */
export async function moveMessages(
  sqs: SQSClient,
  queues: ConsumerQueues,
  onProgress: (done: number) => void = () => undefined,
): Promise<MoveResult> {
  const result: MoveResult = { moved: 0, failed: 0 };
  for (;;) {
    const { Messages: messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queues.dlqUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        // Long enough to send and delete; a refused message comes back after it.
        VisibilityTimeout: 60,
        MessageAttributeNames: ["All"],
        MessageSystemAttributeNames: ["MessageGroupId", "MessageDeduplicationId"],
      }),
    );
    if (messages.length === 0) return result;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queues.queueUrl,
        Entries: messages.map((m, i) => ({
          Id: String(i),
          MessageBody: m.Body!,
          MessageAttributes: m.MessageAttributes as Record<string, MessageAttributeValue> | undefined,
          ...(queues.fifo && {
            MessageGroupId: m.Attributes?.MessageGroupId,
            MessageDeduplicationId: m.Attributes?.MessageDeduplicationId ?? m.MessageId,
          }),
        })),
      }),
    );
    // A batch call can answer 200 with failed entries: delete only what was accepted.
    const accepted = (sent.Successful ?? []).map((entry) => messages[Number(entry.Id)]!);
    result.failed += messages.length - accepted.length;
    if (accepted.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queues.dlqUrl,
          Entries: accepted.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
    }
    result.moved += accepted.length;
    onProgress(result.moved + result.failed);
    if (accepted.length === 0) return result;
  }
}
