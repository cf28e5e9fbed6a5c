import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CodedError } from "../shared/errors";
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

/** Another runtime holds the data directory. */
export class DataDirInUseError extends CodedError {
  constructor(dataDir: string, pid: number) {
    super(
      "data_dir_in_use",
      `${dataDir} is in use by another local runtime (pid ${pid}); stop it, or set LOCAL_DATA_DIR to another directory`,
    );
  }
}

/**
 * Claims the data directory for this process (`<dataDir>/runtime.pid`): the SQLite and LevelDB
 * files under it have one owner at a time. A claim left by a process that is gone (killed, crashed)
 * is taken over; one whose process is still ending (just killed) is waited for, up to `waitMs`.
 *
 * @example
 * const claim = await claimDataDir(".data"); // DataDirInUseError while another runtime runs there
 * claim.release();
 */
export async function claimDataDir(dataDir: string, waitMs = 5000): Promise<{ release(): void }> {
  const file = join(dataDir, "runtime.pid");
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: "wx" });
      return { release: () => rmSync(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = Number(readFileSync(file, "utf8"));
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isRunning(owner)) {
      if (Date.now() >= deadline) throw new DataDirInUseError(dataDir, owner);
      await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    rmSync(file, { force: true });
  }
}

/**
 * Alive and not a zombie (a killed process stays one until its parent reaps it).
 *
 * @example
 * isRunning(process.pid) // true
 */
export function isRunning(pid: number): boolean {
  if (existsSync("/proc/self")) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(")") + 2));
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
