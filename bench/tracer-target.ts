/**
 * Child process of the "tracing on" measurement: the edge core over one corpus, optionally after
 * loading the Powertools Tracer as the edge does with tracing on. Loading it loads the X-Ray SDK,
 * whose `cls-hooked` enables an `async_hooks` hook for the whole process. Prints one JSON line:
 * events/s and ns per bare `await`.
 *
 * Usage: `node --import tsx bench/tracer-target.ts <plain|tracer> <github|slack> <ms>`
 */

import { edge } from "./lib/contenders";
import { githubCorpus, signSlack, slackFixtures } from "./lib/corpus";
import { msSince } from "./lib/stats";

async function awaitNs(): Promise<number> {
  const n = 200_000;
  for (let i = 0; i < n / 4; i++) await Promise.resolve(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await Promise.resolve(i);
  return (msSince(start) * 1e6) / n;
}

async function main(): Promise<void> {
  const [mode = "plain", corpusName = "github", ms = "1000"] = process.argv.slice(2);
  if (mode === "tracer") {
    const { Tracer } =
      require("@aws-lambda-powertools/tracer") as typeof import("@aws-lambda-powertools/tracer");
    new Tracer({ serviceName: "webhook-gateway" });
  }
  const corpus = corpusName === "slack" ? signSlack(slackFixtures(), Date.now()) : githubCorpus();
  const prepared = edge().prepare(corpus);
  const warm = Date.now() + Math.min(1000, Number(ms));
  while (Date.now() < warm) await prepared.run();
  let passes = 0;
  const start = process.hrtime.bigint();
  while (msSince(start) < Number(ms)) {
    await prepared.run();
    passes += 1;
  }
  const eventsPerSecond = (passes * corpus.length * 1000) / msSince(start);
  process.stdout.write(`${JSON.stringify({ eventsPerSecond, awaitNs: await awaitNs() })}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
