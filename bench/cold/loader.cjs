// Loads one bundle the way the Lambda runtime does (require, then look up `handler`) and prints
// what it cost as one JSON line. Plain CommonJS: nothing but Node runs before the bundle.
const start = process.hrtime.bigint();
const bundle = require(process.argv[2]);
const loadNs = process.hrtime.bigint() - start;
const usage = process.resourceUsage();
const figures = {
  // performance.now() counts from the start of the process.
  readyMs: performance.now(),
  requireMs: Number(loadNs) / 1e6,
  rssBytes: process.memoryUsage().rss,
  heapUsedBytes: process.memoryUsage().heapUsed,
  maxRssBytes: usage.maxRSS * 1024,
  handler: typeof bundle.handler,
};
if (process.env.BENCH_AWAIT_PROBE === "1") {
  // Untimed runs only: the cost of one bare await now that the bundle is loaded (an async_hooks
  // hook installed at load, such as the X-Ray SDK's, shows here).
  void (async () => {
    const n = 20000;
    const begin = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await Promise.resolve(i);
    figures.awaitNs = Number(process.hrtime.bigint() - begin) / n;
    process.stdout.write(JSON.stringify(figures));
  })();
} else {
  process.stdout.write(JSON.stringify(figures));
}
