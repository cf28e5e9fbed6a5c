#!/usr/bin/env node
// The project's command line (dev/cli.ts), bundled on the fly by scripts/run-ts.cjs.
const { join } = require("node:path");
const { runTs, root } = require("../scripts/run-ts.cjs");

runTs(join(root, "dev", "cli.ts"))
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
