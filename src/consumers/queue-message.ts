import type { MessageAttributeValue, SendMessageCommandInput } from "@aws-sdk/client-sqs";
import {
  type GatewayEvent,
  idempotencyId,
  type NormalizedEvent,
  REPROCESS_EXTENSION,
  serializeClaimCheck,
  serializeEvent,
  sqsSafe,
} from "../contract/event";
import { eventGroupKey, type FifoMessageIds, fifoMessageIds } from "../contract/fifo";
import { messageAttributes } from "../edge/adapters/sqs-queue";
import { type ArchivedEvent, withoutRun } from "./archive-store";

/**
 * An event's queue message as the edge would have sent it: what `archive replay` (with or without
 * `--reprocess`) and the local inspector's *Reprocess* send to a consumer's queue.
 */
export interface QueueMessage {
  /** The event's envelope as sent (with the reprocessing run when there is one); `data` when known. */
  event: GatewayEvent;
  /** The event's JSON, or the claim-check pointer (the envelope with `dataref`). */
  body: string;
  /** `type`, `source` and `provider`, as the edge sets them (consumers' filters read them). */
  attributes: Record<string, MessageAttributeValue>;
  /**
   * The edge's FIFO rule (used on a FIFO queue only): the event's group key, deduplicated on its
   * id, or for a reprocessing run on the id and the run ({@link idempotencyId}): a run sent within
   * SQS's 5-minute deduplication window of the event (or of another run) is not dropped as its copy.
   */
  fifo: FifoMessageIds;
}

/**
 * The message the edge would have queued for an archived event: its JSON (SQS-safe) as the body,
 * or, for an event archived without its data (`truncated`), the claim-check pointer to its
 * `dataref`; `undefined` when it was truncated and has no claim check (it cannot be rebuilt).
 * With a reprocessing run id, the event carries it in the `reprocess` extension
 * (`REPROCESS_EXTENSION`), so each consumer that receives it runs it once more.
 *
 * @example
 * archivedEventMessage(await archive.getEvent("github:72d3…"))?.body            // '{"specversion":"1.0",…}'
 * archivedEventMessage(archived, "r1a2b3")?.event.reprocess                      // "r1a2b3"
 * archivedEventMessage({ event: envelope, truncated: true })                     // undefined
 */
export function archivedEventMessage(
  archived: Pick<ArchivedEvent, "event" | "truncated" | "dataref">,
  reprocess?: string,
): QueueMessage | undefined {
  const event = withRun(archived.event, reprocess);
  if (!archived.truncated) return message(event, sqsSafe(JSON.stringify(event)));
  const dataref = archived.dataref ?? (typeof event.dataref === "string" ? event.dataref : undefined);
  if (!dataref) return undefined;
  const { data: _data, ...envelope } = event;
  return message(event, serializeClaimCheck(envelope, dataref));
}

/**
 * The message the edge queues for a normalized event (attributes and the payload's JSON text,
 * spliced as the edge splices it), with the reprocessing run when one is given: how the local
 * inspector rebuilds an event it holds in memory but the archive does not hold (yet).
 *
 * @example
 * normalizedEventMessage({ attributes, dataJson: '{"zen":"…"}' }, "r1a2b3").body // '{…,"reprocess":"r1a2b3","data":{"zen":"…"}}'
 */
export function normalizedEventMessage(
  normalized: Pick<NormalizedEvent, "attributes" | "dataJson">,
  reprocess?: string,
): QueueMessage {
  const attributes = withRun(normalized.attributes, reprocess);
  const body = serializeEvent({ attributes, dataJson: normalized.dataJson });
  return message({ ...attributes, data: JSON.parse(normalized.dataJson) }, body);
}

/**
 * A {@link QueueMessage} as SendMessage's input for one queue: the FIFO group and deduplication
 * ids only on a FIFO queue.
 *
 * @example
 * await sqs.send(new SendMessageCommand(sendMessageInput(message, { url: queueUrl, fifo: false })));
 */
export function sendMessageInput(
  message: QueueMessage,
  queue: { url: string; fifo: boolean },
): SendMessageCommandInput {
  return {
    QueueUrl: queue.url,
    MessageBody: message.body,
    MessageAttributes: message.attributes,
    ...(queue.fifo && {
      MessageGroupId: message.fifo.groupId,
      MessageDeduplicationId: message.fifo.deduplicationId,
    }),
  };
}

/** The event with this run, or with no run at all (a plain replay never carries an old one). */
function withRun<T extends GatewayEvent>(event: T, reprocess: string | undefined): T {
  return reprocess === undefined ? withoutRun(event) : { ...event, [REPROCESS_EXTENSION]: reprocess };
}

function message(event: GatewayEvent, body: string): QueueMessage {
  const attributes = { type: event.type, source: event.source, provider: String(event.provider ?? "") };
  return {
    event,
    body,
    attributes: messageAttributes({ attributes }),
    fifo: fifoMessageIds(eventGroupKey(event), idempotencyId(event)),
  };
}
