// `npm start`: bundle the local runtime with esbuild (our code only; packages stay in
// node_modules, where Node loads ESM-only ones natively), then run it in this process.
const { buildSync } = require("esbuild");
const { join } = require("node:path");

const outfile = join(__dirname, "..", ".gen", "dev", "start.js");
buildSync({
  entryPoints: [join(__dirname, "..", "dev", "start.ts")],
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  packages: "external",
  sourcemap: "inline",
  outfile,
  logLevel: "warning",
});
process.setSourceMapsEnabled(true);
require(outfile);
