// Runs a Lambda bundle's handler over function URL events, one at a time, as one Lambda
// instance does, and writes the CPU this process spent per delivery (process.cpuUsage) to a file.
// Usage: node driver.cjs <bundle/index.js> <events.json> <passes> <result.json>
// One untimed pass first (connections, JIT, secrets), then `passes` timed passes.
const { readFileSync, writeFileSync } = require("node:fs");
const { randomUUID } = require("node:crypto");

const [bundle, eventsFile, passesArg, resultFile] = process.argv.slice(2);
const events = JSON.parse(readFileSync(eventsFile, "utf8"));
const passes = Number(passesArg);
const { handler } = require(bundle);

function context() {
  const name = process.env.AWS_LAMBDA_FUNCTION_NAME || "bench";
  return {
    functionName: name,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE || "512",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: "bench",
    getRemainingTimeInMillis: () => 10_000,
    callbackWaitsForEmptyEventLoop: true,
  };
}

async function pass(statuses) {
  for (const event of events) {
    const result = await handler(event, context());
    statuses[result.statusCode] = (statuses[result.statusCode] || 0) + 1;
  }
}

(async () => {
  await pass({});
  const statuses = {};
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < passes; i++) await pass(statuses);
  const used = process.cpuUsage(cpu);
  const wallNs = Number(process.hrtime.bigint() - start);
  const deliveries = events.length * passes;
  writeFileSync(
    resultFile,
    JSON.stringify({
      deliveries,
      cpuUs: (used.user + used.system) / deliveries,
      wallUs: wallNs / 1000 / deliveries,
      statuses,
    }),
  );
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
