import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { type MoveResult, moveMessages } from "../../cli/ops/queues";
import { CodedError } from "../../shared/errors";
import type { LocalQueue } from "../resources";

/** One message in a consumer's dead-letter queue. */
export interface DeadLetter {
  messageId: string;
  eventId?: string;
  type?: string;
  source?: string;
  sentAt: number;
  receiveCount: number;
  bytes: number;
}

/** fauxqs's inspection API, as far as the dead-letter view needs it (no SQS round trip). */
export interface InspectableDeadLetters {
  inspectQueue(name: string):
    | {
        messages: {
          ready: InspectedMessage[];
          delayed: InspectedMessage[];
          inflight: { message: InspectedMessage }[];
        };
      }
    | undefined;
}

interface InspectedMessage {
  messageId: string;
  body: string;
  sentTimestamp: number;
  approximateReceiveCount: number;
}

/** The consumer has no dead-letter queue here, or the event is not in it. */
export class DeadLetterNotFoundError extends CodedError {
  constructor(what: string) {
    super("dead_letter_not_found", `${what} not found`);
  }
}

/**
 * Each consumer's dead-letter queue on the runtime's emulator: its messages (read through fauxqs's
 * inspection API, so looking changes nothing), the event ids in it, and redrive of one event or
 * all (the latter with the CLI's `moveMessages`, as `webhook-gateway dlq redrive` does locally).
 *
 * @example
 * const dlq = createDeadLetters(fauxqs, sqs, queues);
 * dlq.list("github") // [{ messageId: "…", eventId: "github:…", type: "com.github.issues.opened", … }]
 * await dlq.redriveAll("github") // { moved: 3, failed: 0 }
 */
export function createDeadLetters(
  fauxqs: InspectableDeadLetters,
  sqs: SQSClient,
  queues: readonly LocalQueue[],
) {
  const parsed = new Map<string, Pick<DeadLetter, "eventId" | "type" | "source">>();
  const queueOf = (consumer: string) => {
    const queue = queues.find((q) => q.consumer.name === consumer);
    if (!queue) throw new DeadLetterNotFoundError(`consumer ${consumer}`);
    return queue;
  };
  const list = (consumer: string): DeadLetter[] => {
    const state = fauxqs.inspectQueue(queueOf(consumer).dlqName);
    if (!state) return [];
    const { ready, delayed, inflight } = state.messages;
    return [...ready, ...delayed, ...inflight.map((i) => i.message)].map((m) => {
      let head = parsed.get(m.messageId);
      if (!head) {
        if (parsed.size > 10_000) parsed.clear();
        head = headOf(m.body);
        parsed.set(m.messageId, head);
      }
      return {
        messageId: m.messageId,
        ...head,
        sentAt: m.sentTimestamp,
        receiveCount: m.approximateReceiveCount,
        bytes: m.body.length,
      };
    });
  };
  return {
    list,
    /** Event ids in each consumer's dead-letter queue. */
    eventIds(): Map<string, Set<string>> {
      const ids = new Map<string, Set<string>>();
      for (const q of queues) {
        ids.set(
          q.consumer.name,
          new Set(list(q.consumer.name).flatMap((d) => (d.eventId ? [d.eventId] : []))),
        );
      }
      return ids;
    },
    redriveAll(consumer: string): Promise<MoveResult> {
      const q = queueOf(consumer);
      return moveMessages(sqs, { queueUrl: q.url, dlqUrl: q.dlqUrl, fifo: q.consumer.fifo });
    },
    redriveOne: (consumer: string, eventId: string) => redriveOne(sqs, queueOf(consumer), eventId),
  };
}

/** The event id, type and source of a queued body (an event, or a claim check's envelope). */
function headOf(body: string): Pick<DeadLetter, "eventId" | "type" | "source"> {
  try {
    const event = JSON.parse(body) as { id?: unknown; type?: unknown; source?: unknown };
    const text = (value: unknown) => (typeof value === "string" ? value : undefined);
    return { eventId: text(event.id), type: text(event.type), source: text(event.source) };
  } catch {
    return {};
  }
}

/**
 * Moves the messages of one event from the DLQ back to its queue: receives the DLQ's messages a
 * batch at a time, sends the event's own (body, attributes and FIFO ids kept) and deletes them,
 * and makes every other message visible again at once.
 */
async function redriveOne(sqs: SQSClient, queue: LocalQueue, eventId: string): Promise<MoveResult> {
  const result: MoveResult = { moved: 0, failed: 0 };
  const others: Message[] = [];
  try {
    for (let round = 0; round < 100; round++) {
      const { Messages: messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queue.dlqUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
          VisibilityTimeout: 30,
          MessageAttributeNames: ["All"],
          MessageSystemAttributeNames: ["MessageGroupId", "MessageDeduplicationId"],
        }),
      );
      if (messages.length === 0) break;
      for (const message of messages) {
        if (headOf(message.Body ?? "").eventId !== eventId) others.push(message);
        else await moveOne(sqs, queue, message, result);
      }
    }
  } finally {
    await release(sqs, queue.dlqUrl, others);
  }
  if (result.moved + result.failed === 0) throw new DeadLetterNotFoundError(`${eventId} in ${queue.dlqName}`);
  return result;
}

async function moveOne(sqs: SQSClient, queue: LocalQueue, message: Message, result: MoveResult) {
  try {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queue.url,
        MessageBody: message.Body!,
        MessageAttributes: message.MessageAttributes as Record<string, MessageAttributeValue> | undefined,
        ...(queue.consumer.fifo && {
          MessageGroupId: message.Attributes?.MessageGroupId,
          MessageDeduplicationId: message.Attributes?.MessageDeduplicationId ?? message.MessageId,
        }),
      }),
    );
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: queue.dlqUrl, ReceiptHandle: message.ReceiptHandle! }),
    );
    result.moved++;
  } catch {
    result.failed++;
  }
}

/** Makes messages visible again at once (visibility timeout 0). */
async function release(sqs: SQSClient, queueUrl: string, messages: readonly Message[]): Promise<void> {
  for (let i = 0; i < messages.length; i += 10) {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.slice(i, i + 10).map((m, j) => ({
          Id: String(j),
          ReceiptHandle: m.ReceiptHandle!,
          VisibilityTimeout: 0,
        })),
      }),
    );
  }
}
