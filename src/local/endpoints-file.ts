import { readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isRunning } from "./persistence";

/** The file under the data directory where a running runtime says where its emulators listen. */
export const ENDPOINTS_FILE = "endpoints.json";

/** What `endpoints.json` holds: the ports change at every start. */
export interface LocalEndpointsFile {
  pid: number;
  url: string;
  sqs: string;
  s3: string;
  dynamodb: string;
}

/**
 * Writes `<dataDir>/endpoints.json` for the CLI (`dlq redrive --local`, `archive replay --local`).
 *
 * @example
 * writeEndpointsFile(".data", { pid: process.pid, url, sqs, s3, dynamodb });
 */
export function writeEndpointsFile(dataDir: string, endpoints: LocalEndpointsFile): void {
  writeFileSync(join(dataDir, ENDPOINTS_FILE), `${JSON.stringify(endpoints, null, 2)}\n`);
}

/** Removes `<dataDir>/endpoints.json` if it is this process's (a clean stop). */
export function removeEndpointsFile(dataDir: string, pid: number = process.pid): void {
  if (readEndpointsFile(dataDir, () => true)?.pid !== pid) return;
  try {
    unlinkSync(join(dataDir, ENDPOINTS_FILE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

/**
 * The running runtime's endpoints, or `undefined` when there is no file, it is unreadable, or the
 * process that wrote it is gone (a crash leaves the file behind).
 *
 * @example
 * readEndpointsFile(".data")?.sqs // "http://127.0.0.1:49152"
 */
export function readEndpointsFile(
  dataDir: string,
  alive: (pid: number) => boolean = isRunning,
): LocalEndpointsFile | undefined {
  let parsed: Partial<LocalEndpointsFile>;
  try {
    parsed = JSON.parse(readFileSync(join(dataDir, ENDPOINTS_FILE), "utf8"));
  } catch {
    return undefined;
  }
  const fields = [parsed.url, parsed.sqs, parsed.s3, parsed.dynamodb];
  if (!Number.isInteger(parsed.pid) || fields.some((f) => typeof f !== "string")) return undefined;
  return alive(parsed.pid as number) ? (parsed as LocalEndpointsFile) : undefined;
}
