/**
 * Child process of the local-pipeline benchmark: starts the local runtime (`startLocalRuntime`)
 * on a free port with its data under the given directory, prints one JSON line with its URL, and
 * stops (draining) when its stdin closes. A child of its own because the runtime sets
 * `process.env` for the ingest handler, as Lambda would.
 *
 * Usage: `BENCH_DATA_DIR=<dir> node bench/pipeline/launch.cjs runtime-host.ts` (run as `npm start`
 * runs the runtime: bundled by scripts/run-ts.cjs, packages loaded by Node).
 */
import { join } from "node:path";
import { startLocalRuntime } from "../../src/local/runtime";
import { GITHUB_SECRET, SLACK_SECRET } from "../lib/corpus";

// This file is bundled into .gen/bench/pipeline/ before it runs: find the repository from the cwd.
const ROOT = process.cwd();

async function main(): Promise<void> {
  const dataDir = process.env.BENCH_DATA_DIR ?? join(ROOT, ".data-bench");
  const runtime = await startLocalRuntime({
    port: 0,
    root: ROOT,
    dataDir,
    // One line per event on the console would be part of the measurement; keep it quiet.
    log: () => undefined,
    env: {
      PATH: process.env.PATH,
      GITHUB_WEBHOOK_SECRET: GITHUB_SECRET,
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      // Passed through, to compare settings: `LOCAL_CONSUMER_THREADS=1 npx tsx bench/pipeline/measure.ts`.
      LOCAL_CONSUMER_THREADS: process.env.LOCAL_CONSUMER_THREADS,
      LOCAL_BATCHING_WINDOW_SECONDS: process.env.LOCAL_BATCHING_WINDOW_SECONDS,
    },
  });
  // The cost of one bare await in this process, now that the handlers (and their imports) are loaded.
  const n = 200_000;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await Promise.resolve(i);
  const awaitNs = Number(process.hrtime.bigint() - start) / n;
  process.stdout.write(`${JSON.stringify({ url: runtime.url, consumers: runtime.consumers, awaitNs })}\n`);
  process.stdin.resume();
  process.stdin.on("end", () => {
    void runtime.stop().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
