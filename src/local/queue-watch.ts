import type { InspectedQueue } from "./emulator-host";
import type { LocalEmulators } from "./emulators";
import type { InspectableDeadLetters } from "./inspector/dead-letters";
import type { LocalQueue } from "./resources";

/** One consumer's queue: messages ready (or delayed), in flight, and in its dead-letter queue. */
export interface QueueDepth {
  ready: number;
  inflight: number;
  deadLettered: number;
}

export type QueueDepths = () => Promise<Record<string, QueueDepth>>;

/**
 * Reads every consumer's queue depths from fauxqs's inspection API (no SQS round trip).
 *
 * @example
 * await queueDepths(emulators, queues)() // { archive: { ready: 0, inflight: 2, deadLettered: 0 }, … }
 */
export function queueDepths(
  emulators: Pick<LocalEmulators, "count">,
  queues: readonly LocalQueue[],
): QueueDepths {
  const names = queues.flatMap((q) => [q.name, q.dlqName]);
  return async () => {
    const counts = await emulators.count(names);
    const depths: Record<string, QueueDepth> = {};
    for (const q of queues) {
      const main = counts[q.name];
      const dlq = counts[q.dlqName];
      depths[q.consumer.name] = {
        ready: (main?.ready ?? 0) + (main?.delayed ?? 0),
        inflight: main?.inflight ?? 0,
        deadLettered: (dlq?.ready ?? 0) + (dlq?.inflight ?? 0) + (dlq?.delayed ?? 0),
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
  running: ReadonlySet<string>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const busy = Object.entries(await depths()).some(
      ([name, d]) => running.has(name) && d.ready + d.inflight > 0,
    );
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
  const check = async () => {
    for (const [name, d] of Object.entries(await depths())) {
      const before = seen.get(name) ?? 0;
      if (d.deadLettered > before)
        log(
          `  ☠ ${name}: ${d.deadLettered - before} message(s) dead-lettered (${d.deadLettered} in ${name}-dlq)`,
        );
      seen.set(name, d.deadLettered);
    }
  };
  const timer = setInterval(() => void check().catch(() => undefined), 500);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/**
 * The dead-letter queues' messages as the inspector reads them, synchronously, from a copy the
 * emulator's thread refreshes every `intervalMs` (fauxqs runs in a worker: its inspection API is
 * a message away). Looking changes nothing in the queues.
 *
 * @example
 * const view = watchDeadLetterMessages(emulators, queues);
 * view.inspectQueue("github-dlq")?.messages.ready // [{ messageId: "…", body: "…", … }]
 * view.stop();
 */
export function watchDeadLetterMessages(
  emulators: Pick<LocalEmulators, "inspect">,
  queues: readonly LocalQueue[],
  intervalMs = 500,
): InspectableDeadLetters & { refresh(): Promise<void>; stop(): void } {
  const copies = new Map<string, InspectedQueue | undefined>();
  let running: Promise<void> | undefined;
  const refresh = () => {
    running ??= Promise.all(
      queues.map(async (q) => copies.set(q.dlqName, await emulators.inspect(q.dlqName))),
    )
      .then(() => undefined)
      .catch(() => undefined)
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => void refresh(), intervalMs);
  timer.unref();
  void refresh();
  return {
    inspectQueue: (name) => copies.get(name),
    refresh,
    stop: () => clearInterval(timer),
  };
}
