// `npm run soak`: the soak test of the local runtime (soak/main.ts); `-- --help` for the options.
const { join } = require("node:path");
const { runTs, root } = require("./run-ts.cjs");

runTs(join(root, "soak", "main.ts"))
  .main()
  .catch((error) => {
    console.error(`soak failed: ${error.stack ?? error}`);
    process.exit(2);
  });
