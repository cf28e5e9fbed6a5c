// Cold start to the first answer: a fresh process loads a Lambda bundle the way the runtime does
// (require, then `handler`), invokes it once with one function URL event, and writes when the
// answer came, in ms from the process's start (performance.now), with its status code.
// Usage: node first-answer.cjs <bundle/index.js> <event.json> <result.json>
const { readFileSync, writeFileSync } = require("node:fs");

const [bundle, eventFile, resultFile] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, "utf8"));
const loadStart = performance.now();
const { handler } = require(bundle);
const loadedMs = performance.now();
const name = process.env.AWS_LAMBDA_FUNCTION_NAME || "bench";
const context = {
  functionName: name,
  functionVersion: "$LATEST",
  invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
  memoryLimitInMB: "512",
  awsRequestId: "00000000-0000-4000-8000-000000000000",
  getRemainingTimeInMillis: () => 10_000,
};
handler(event, context).then(
  (result) => {
    const answeredMs = performance.now();
    writeFileSync(
      resultFile,
      JSON.stringify({ loadStartMs: loadStart, loadedMs, answeredMs, status: result.statusCode }),
    );
    // Lambda freezes the process here; end it so the next run starts fresh.
    process.exit(0);
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
