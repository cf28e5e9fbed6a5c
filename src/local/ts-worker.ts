import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Worker } from "node:worker_threads";
import { CodedError } from "../shared/errors";

const RUN_TS = join("scripts", "run-ts.cjs");

/** One of the runtime's worker threads (emulators, consumers) could not start, or ended. */
export class LocalThreadError extends CodedError {
  constructor(message: string, options?: ErrorOptions) {
    super("local_thread_failed", message, options);
  }
}

/**
 * Waits for a worker's first message: `{ ready: true, … }` resolves with it; `{ failed }`, an
 * `error` event or an exit rejects with a {@link LocalThreadError} naming `what`.
 *
 * @example
 * const { endpoint } = await threadReady<{ ready: true; endpoint: string }>(worker, "fauxqs");
 */
export function threadReady<T extends { ready: true }>(worker: Worker, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number) =>
      reject(new LocalThreadError(`${what} exited with ${code} while starting`));
    worker.once("error", (error) =>
      reject(new LocalThreadError(`${what} failed: ${error.message}`, { cause: error })),
    );
    worker.once("exit", onExit);
    worker.once("message", (message: T | { failed?: string }) => {
      worker.off("exit", onExit);
      if ("ready" in message) resolve(message as T);
      else reject(new LocalThreadError(`${what} failed to start: ${message.failed ?? "unexpected message"}`));
    });
  });
}

/**
 * Starts threads together: all of them, or (when one fails) none — those already up are stopped
 * and the first failure is thrown.
 *
 * @example
 * const [sqs, dynamodb] = await startAllOrNone([startA(), startB()]);
 */
export async function startAllOrNone<T extends { stop(): Promise<void> }>(
  starts: readonly Promise<T>[],
): Promise<T[]> {
  const started = await Promise.allSettled(starts);
  const threads = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const failure = started.find((result) => result.status === "rejected");
  if (failure) {
    await Promise.all(threads.map((thread) => thread.stop()));
    throw failure.reason;
  }
  return threads;
}

/**
 * The repository this code runs from: the first folder upwards holding `scripts/run-ts.cjs`
 * (this file runs from `src/local/` under the tests and from `.gen/src/local/` bundled).
 */
function repositoryRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, RUN_TS))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no ${RUN_TS} above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

/**
 * Starts a worker thread on one of this repository's TypeScript entry points, bundled by esbuild
 * the way `npm start` bundles the runtime (`scripts/run-ts.cjs`). With `sourceMaps`, stacks in
 * that thread point into the TypeScript sources (a listener's failure names its own file and line).
 *
 * @example
 * const worker = startTsWorker("src/local/emulator-worker.ts", { dataDir: ".data" });
 */
export function startTsWorker(
  entry: string,
  workerData: unknown,
  options: { sourceMaps?: boolean } = {},
): Worker {
  const root = repositoryRoot();
  const { bundleTs } = createRequire(join(root, "package.json"))(join(root, RUN_TS)) as {
    bundleTs: (entry: string) => string;
  };
  const bundle = bundleTs(join(root, entry));
  if (!options.sourceMaps) return new Worker(bundle, { workerData });
  // Source maps are read as a module loads: switch them on before the bundle is required.
  const boot = `process.setSourceMapsEnabled(true); require(${JSON.stringify(bundle)});`;
  return new Worker(boot, { eval: true, workerData });
}
