// Runs one of the pipeline benchmark's hosts the way `npm start` runs the local runtime:
// scripts/run-ts.cjs bundles this repository's code with esbuild (packages stay external, where
// Node loads ESM-only ones natively) and runs it in this process.
// Usage: node bench/pipeline/launch.cjs <runtime-host.ts|octokit-host.ts>
const { join } = require("node:path");
const { runTs } = require("../../scripts/run-ts.cjs");

runTs(join(__dirname, process.argv[2]));
