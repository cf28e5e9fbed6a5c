import { readlinkSync } from "node:fs";
import { getPriority, setPriority } from "node:os";
import { basename } from "node:path";

/**
 * The nice value of the threads the edge never waits on: the consumers' and DynamoDB's emulator
 * (only the consumers and the inspector use it). Below the edge and the SQS emulator: with both
 * cores busy, a nice-10 thread gets about a tenth of a core against a nice-0 one, so a burst is
 * answered first and the consumers catch up right after, with fuller batches. On this 2-core
 * machine (six passes of 600 deliveries at concurrency 16 after a start, ad hoc): nice 5 for the
 * consumers alone answered 430–810/s, nice 10 with DynamoDB's emulator too 530–950/s, processed/s
 * the same within the noise; nice 19 did no better. Not 19 anyway: nice is machine-wide, and the
 * consumers must still progress beside a build on a busy laptop.
 */
export const BACKGROUND_NICE = 10;

/**
 * Lowers the calling thread's scheduling priority (Linux: `setpriority` on the thread's own id),
 * so that when the cores are busy the edge answering webhooks goes first, and the consumers catch
 * up from their queues right after: a provider waits for the answer (GitHub gives up after 10 s),
 * nobody waits on a queued event's next second. Elsewhere, or if refused, nothing changes.
 *
 * @example
 * lowerThreadPriority(); // first thing in a consumers' worker thread
 */
export function lowerThreadPriority(nice = BACKGROUND_NICE): boolean {
  try {
    const threadId = Number(basename(readlinkSync("/proc/thread-self")));
    // Never above the process's own (a runtime started with `nice` stays there).
    setPriority(threadId, Math.max(getPriority(threadId), nice));
    return true;
  } catch {
    return false;
  }
}
