import type { QueueDepths } from "./queue-watch";

/**
 * Nothing to save at stop: fauxqs writes every queue, message and object through to SQLite
 * under the data directory as it goes, and dynalite every item to LevelDB. This says what stays
 * queued for the next start (after the drain timeout, or with consumers that do not run).
 *
 * @example
 * await reportStillQueued(depths, ".data", console.log); // "  3 messages still queued in .data; they run at the next start"
 */
export async function reportStillQueued(
  depths: QueueDepths,
  dataDir: string,
  log: (line: string) => void,
): Promise<number> {
  const queued = Object.values(await depths()).reduce((sum, d) => sum + d.ready + d.inflight, 0);
  if (queued > 0) log(`  ${queued} messages still queued in ${dataDir}; they run at the next start`);
  return queued;
}
