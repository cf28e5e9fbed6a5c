#!/usr/bin/env node
// The project's command line (src/cli/main.ts), bundled on the fly by scripts/run-ts.cjs.
const { join } = require("node:path");
const { runTs, root } = require("../scripts/run-ts.cjs");

runTs(join(root, "src", "cli", "main.ts"))
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
