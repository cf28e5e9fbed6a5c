import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { basename } from "node:path";

/** The nice value of the runtime's background threads (the consumers, DynamoDB). */
export const BACKGROUND_NICE = 5;

/**
 * Lowers the calling thread's scheduling priority (Linux: `setpriority` on the thread's own id),
 * so that when the cores are busy, the edge answering webhooks goes first and the consumers catch
 * up after, as queues allow. Elsewhere, or if refused, nothing changes.
 *
 * @example
 * runInBackground(); // first thing in the consumers' worker thread
 */
export function runInBackground(nice = BACKGROUND_NICE): boolean {
  try {
    const threadId = Number(basename(readlinkSync("/proc/thread-self")));
    setPriority(threadId, nice);
    return true;
  } catch {
    return false;
  }
}
