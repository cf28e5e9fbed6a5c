import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { BACKGROUND_NICE } from "../../../src/local/thread-priority";
import { niceOf } from "../../helpers/proc";

const ROOT = join(__dirname, "..", "..", "..");

test("lowerThreadPriority lowers the thread that calls it, and only that one (Linux)", async () => {
  // The module bundled as the runtime's threads load it (scripts/run-ts.cjs), run in a thread of its own.
  const { bundleTs } = require(join(ROOT, "scripts", "run-ts.cjs")) as {
    bundleTs: (entry: string) => string;
  };
  const bundle = bundleTs(join(ROOT, "src", "local", "thread-priority.ts"));
  const before = niceOf(readFileSync("/proc/thread-self/stat", "utf8"));
  const worker = new Worker(
    `const { parentPort } = require("node:worker_threads");
     const { readFileSync } = require("node:fs");
     const { lowerThreadPriority } = require(${JSON.stringify(bundle)});
     const lowered = lowerThreadPriority();
     parentPort.postMessage({ lowered, stat: readFileSync("/proc/thread-self/stat", "utf8") });`,
    { eval: true },
  );
  const result = await new Promise<{ lowered: boolean; stat: string }>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  await worker.terminate();
  expect(result.lowered).toBe(true);
  expect(niceOf(result.stat)).toBe(Math.max(before, BACKGROUND_NICE));
  expect(niceOf(readFileSync("/proc/thread-self/stat", "utf8"))).toBe(before);
});
