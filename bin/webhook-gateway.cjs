#!/usr/bin/env node
// Runs the TypeScript command line through tsx (a dependency), so no build step is needed.
require("tsx/cjs");
require("../dev/cli.ts")
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
