import { type NormalizedEvent, serializeClaimCheck, serializeEvent } from "../contract/event";
import { fifoMessageIds } from "../contract/fifo";
import { MAX_QUEUED_BODY_BYTES } from "../contract/limits";
import type { Route } from "../contract/routing";
import { PayloadTooLargeError, QueueUnavailableError } from "../shared/errors";
import { type ClaimCheckPort, deadlineIn, type OutboundMessage, type QueuePort } from "./ports";

/** SQS's message limit (1 MiB) counts the body and the attributes; keep room for the latter. */
export const DEFAULT_MAX_MESSAGE_BYTES = MAX_QUEUED_BODY_BYTES;

export interface PublisherOptions {
  routes: readonly Route[];
  queue: QueuePort;
  /** Without it, events over `maxMessageBytes` are refused with 413. */
  claimCheck?: ClaimCheckPort;
  maxMessageBytes?: number;
}

export interface PublishResult {
  /** Names of the routes whose queue accepted the event. */
  queued: string[];
  /** The event went through the claim-check store. */
  claimChecked: boolean;
  /**
   * This copy arrived while another copy of the same event was being queued, and was answered with
   * that copy's result instead of being queued again ({@link joinCopiesInFlight}).
   */
  joined?: boolean;
}

export type Publish = (event: NormalizedEvent, deadlineMs: number) => Promise<PublishResult>;

/**
 * Fans an event out to the queue of every matching route, all in parallel, within a deadline.
 * It resolves only when every matching queue accepted the event; any failure or timeout rejects
 * with {@link QueueUnavailableError} (messages already accepted stay: consumers are idempotent).
 * An event over the message limit goes through the claim-check store, or is refused with 413.
 *
 * @example
 * const publish = createPublisher({ routes, queue: new SqsQueue(sqs) });
 * await publish(event, 2500); // { queued: ["archive", "notifier"], claimChecked: false }
 */
export function createPublisher(options: PublisherOptions): Publish {
  const maxBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  return async (event, deadlineMs) => {
    const routes = options.routes.filter((route) => route.matches(event.attributes));
    if (routes.length === 0) return { queued: [], claimChecked: false };

    // No AbortController or signal on the hot path: adapters that do I/O derive one from the
    // deadline; the publisher itself only stops waiting when the deadline passes.
    const deadline = deadlineIn(deadlineMs);
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new QueueUnavailableError(`queue deadline of ${deadlineMs} ms passed`)),
        deadlineMs,
      );
    });
    try {
      let body = serializeEvent(event);
      let claimChecked = false;
      // A UTF-8 byte is at most 3 per UTF-16 unit: skip the exact count for ordinary sizes.
      if (body.length * 3 > maxBytes) {
        const bytes = Buffer.byteLength(body);
        if (bytes > maxBytes) {
          if (!options.claimCheck) throw new PayloadTooLargeError(maxBytes);
          const put = guard(options.claimCheck.put(event.attributes.id, body, deadline));
          const dataref = await Promise.race([put, expired]);
          body = serializeClaimCheck(event.attributes, dataref);
          claimChecked = true;
        }
      }
      const sends = Promise.allSettled(
        routes.map((route) => options.queue.send(message(route, event, body), deadline)),
      );
      const results = await Promise.race([sends, expired]);
      const failed = results.flatMap((result, i) => (result.status === "rejected" ? [i] : []));
      if (failed.length > 0) {
        const first = results[failed[0]!] as PromiseRejectedResult;
        throw new QueueUnavailableError(
          `${failed.length} of ${routes.length} queues did not accept the event`,
          first.reason,
        );
      }
      return { queued: routes.map((route) => route.name), claimChecked };
    } finally {
      clearTimeout(timer);
      expired.catch(() => undefined);
    }
  };
}

/**
 * Copies of one event (the same CloudEvent `id`) that reach the edge while that event is still
 * being queued wait for the send in flight and share its result, instead of queueing it again:
 * one message per event however many copies arrive at once. The consumers' idempotency keys on
 * the same id, so the copy would only have been skipped there as a duplicate, after costing a
 * send, a receive and a conditional write. A copy is never answered before the event is on every
 * queue: if that send fails, every copy waiting on it fails too (and its sender retries). A copy
 * that arrives after the send ended is queued as usual. Only a process that handles requests
 * concurrently gains from it (the local runtime); a Lambda instance handles one at a time.
 *
 * @example
 * const publish = joinCopiesInFlight(createPublisher({ routes, queue }));
 * await Promise.all([publish(event, 2500), publish(event, 2500)]); // one send; the second is { …, joined: true }
 */
export function joinCopiesInFlight(publish: Publish): Publish {
  const inFlight = new Map<string, Promise<PublishResult>>();
  return (event, deadlineMs) => {
    const id = event.attributes.id;
    const first = inFlight.get(id);
    if (first) return first.then((result) => ({ ...result, joined: true }));
    const sent = publish(event, deadlineMs);
    inFlight.set(id, sent);
    const forget = () => {
      if (inFlight.get(id) === sent) inFlight.delete(id);
    };
    sent.then(forget, forget);
    return sent;
  };
}

async function guard<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (cause) {
    throw new QueueUnavailableError("claim-check store did not accept the event", cause);
  }
}

function message(route: Route, event: NormalizedEvent, body: string): OutboundMessage {
  const { type, source, provider, id } = event.attributes;
  const out: OutboundMessage = { queueUrl: route.queueUrl, body, attributes: { type, source, provider } };
  if (route.fifo) {
    const ids = fifoMessageIds(event.groupKey, id);
    out.groupId = ids.groupId;
    out.deduplicationId = ids.deduplicationId;
  }
  return out;
}
