// `npm start`: the local runtime (src/local/start.ts).
const { join } = require("node:path");
const { runTs, root } = require("./run-ts.cjs");

runTs(join(root, "src", "local", "start.ts"));
