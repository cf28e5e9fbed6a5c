import type { InspectableQueues } from "./queue-snapshot";
import type { LocalQueue } from "./resources";

/** One consumer's queue: messages ready (or delayed), in flight, and in its dead-letter queue. */
export interface QueueDepth {
  ready: number;
  inflight: number;
  deadLettered: number;
}

export type QueueDepths = () => Record<string, QueueDepth>;

/**
 * Reads every consumer's queue depths from fauxqs's inspection API (no SQS round trip).
 *
 * @example
 * queueDepths(fauxqs, queues)() // { archive: { ready: 0, inflight: 2, deadLettered: 0 }, … }
 */
export function queueDepths(fauxqs: InspectableQueues, queues: readonly LocalQueue[]): QueueDepths {
  return () => {
    const depths: Record<string, QueueDepth> = {};
    for (const q of queues) {
      const main = fauxqs.inspectQueue(q.name)?.messages;
      const dlq = fauxqs.inspectQueue(q.dlqName)?.messages;
      depths[q.consumer.name] = {
        ready: (main?.ready.length ?? 0) + (main?.delayed.length ?? 0),
        inflight: main?.inflight.length ?? 0,
        deadLettered: (dlq?.ready.length ?? 0) + (dlq?.inflight.length ?? 0) + (dlq?.delayed.length ?? 0),
      };
    }
    return depths;
  };
}

/**
 * Waits until no running consumer has messages ready or in flight, or the timeout passes.
 *
 * @example
 * await drain(depths, handlers, 10_000);
 */
export async function drain(
  depths: QueueDepths,
  running: ReadonlyMap<string, unknown>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const busy = Object.entries(depths()).some(([name, d]) => running.has(name) && d.ready + d.inflight > 0);
    if (!busy) return;
    await new Promise((done) => setTimeout(done, 100));
  }
}

/**
 * Prints a line whenever a consumer's dead-letter queue grows (checked twice a second).
 *
 * @example
 * const watch = watchDeadLetters(depths, console.log);
 * watch.stop();
 */
export function watchDeadLetters(depths: QueueDepths, log: (line: string) => void): { stop(): void } {
  const seen = new Map<string, number>();
  const timer = setInterval(() => {
    for (const [name, d] of Object.entries(depths())) {
      const before = seen.get(name) ?? 0;
      if (d.deadLettered > before)
        log(
          `  ☠ ${name}: ${d.deadLettered - before} message(s) dead-lettered (${d.deadLettered} in ${name}-dlq)`,
        );
      seen.set(name, d.deadLettered);
    }
  }, 500);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
