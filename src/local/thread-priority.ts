import { readlinkSync } from "node:fs";
import { getPriority, setPriority } from "node:os";
import { basename } from "node:path";

/** The nice value of the consumers' threads: below the edge and the emulators, which the edge waits on. */
export const CONSUMER_NICE = 5;

/**
 * Lowers the calling thread's scheduling priority (Linux: `setpriority` on the thread's own id),
 * so that when the cores are busy the edge answering webhooks goes first, and the consumers catch
 * up from their queues right after: a provider waits for the answer (GitHub gives up after 10 s),
 * nobody waits on a queued event's next second. Elsewhere, or if refused, nothing changes.
 *
 * @example
 * lowerThreadPriority(); // first thing in a consumers' worker thread
 */
export function lowerThreadPriority(nice = CONSUMER_NICE): boolean {
  try {
    const threadId = Number(basename(readlinkSync("/proc/thread-self")));
    // Never above the process's own (a runtime started with `nice` stays there).
    setPriority(threadId, Math.max(getPriority(threadId), nice));
    return true;
  } catch {
    return false;
  }
}
