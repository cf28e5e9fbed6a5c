/** The machine a run happened on, for the report. */
import { execFileSync } from "node:child_process";
import { availableParallelism, cpus, loadavg, release, totalmem, type } from "node:os";

export interface Machine {
  cpu: string;
  cores: number;
  memoryBytes: number;
  node: string;
  os: string;
  date: string;
  loadAverageStart: number[];
  loadAverageEnd?: number[];
  /** The commit measured, and whether the measured code (src, handlers, stacks) had local changes. */
  commit: string;
  dirty: boolean;
}

function git(args: string[]): string {
  try {
    return execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

/**
 * Describes this machine now.
 *
 * @example
 * machine() // { cpu: "Intel(R) Xeon(R) Processor", cores: 2, … }
 */
export function machine(): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? "unknown",
    cores: Math.min(list.length, availableParallelism()),
    memoryBytes: totalmem(),
    node: process.version,
    os: `${type()} ${release()}`,
    date: new Date().toISOString(),
    loadAverageStart: loadavg(),
    commit: git(["rev-parse", "--short", "HEAD"]) || "unknown",
    dirty: git(["status", "--porcelain", "--", "src", "handlers", "stacks"]) !== "",
  };
}
