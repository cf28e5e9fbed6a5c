// Loads one bundle the way the Lambda runtime does (require, then look up `handler`) and prints
// what it cost as one JSON line. Plain CommonJS: nothing but Node runs before the bundle.
const start = process.hrtime.bigint();
const bundle = require(process.argv[2]);
const loadNs = process.hrtime.bigint() - start;
const usage = process.resourceUsage();
process.stdout.write(
  JSON.stringify({
    // performance.now() counts from the start of the process.
    readyMs: performance.now(),
    requireMs: Number(loadNs) / 1e6,
    rssBytes: process.memoryUsage().rss,
    heapUsedBytes: process.memoryUsage().heapUsed,
    maxRssBytes: usage.maxRSS * 1024,
    handler: typeof bundle.handler,
  }),
);
