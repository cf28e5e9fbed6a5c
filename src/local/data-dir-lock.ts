import { readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DataDirInUseError } from "./errors";

/** The lock file's name under the data directory; it holds the owner's pid. */
export const LOCK_FILE = "runtime.lock";

export interface DataDirLock {
  /** Removes the lock file if it is still ours (also done at process exit). */
  release(): void;
}

/**
 * Takes the data directory for this process: `<dataDir>/runtime.lock` with our pid, created
 * exclusively. A lock whose process is gone (a crash, `kill -9`) is stale and taken over; a live
 * one fails with {@link DataDirInUseError}, before any emulator opens the directory.
 *
 * @example
 * const lock = lockDataDir(".data");
 * lock.release();
 */
export function lockDataDir(dataDir: string, pid: number = process.pid): DataDirLock {
  const file = join(dataDir, LOCK_FILE);
  for (;;) {
    try {
      writeFileSync(file, `${pid}\n`, { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = lockOwner(file);
      if (owner !== undefined && owner !== pid && isAlive(owner)) throw new DataDirInUseError(dataDir, owner);
      removeIfOwner(file, owner);
    }
  }
  const release = () => removeIfOwner(file, pid);
  process.once("exit", release);
  return {
    release: () => {
      process.off("exit", release);
      release();
    },
  };
}

/**
 * True when process `pid` exists (signal 0 checks without sending; EPERM means it exists but is
 * someone else's).
 *
 * @example
 * isAlive(process.pid) // true
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function lockOwner(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, "utf8"), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function removeIfOwner(file: string, pid: number | undefined): void {
  if (lockOwner(file) !== pid) return;
  try {
    unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}
