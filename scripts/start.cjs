// `npm start`: the local runtime (dev/start.ts).
const { join } = require("node:path");
const { runTs, root } = require("./run-ts.cjs");

runTs(join(root, "dev", "start.ts"));
