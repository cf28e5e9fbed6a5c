// Runs a TypeScript entry point of this repository without a build step: esbuild bundles our
// own code into .gen/ (packages stay in node_modules, where Node 22.12+ loads ESM-only ones
// natively), then the bundle runs in this process. Used by `npm start` and the `webhook-gateway` bin;
// `node scripts/run-ts.cjs <entry.ts>` runs any other entry point (the soak's runtime, soak/runtime.ts).
const { buildSync } = require("esbuild");
const { mkdirSync, renameSync, writeFileSync } = require("node:fs");
const { dirname, join, relative, resolve } = require("node:path");

const root = join(__dirname, "..");

/** Bundles a TypeScript entry point into .gen/ and returns the bundle's path (worker threads load it). */
function bundleTs(entry) {
  const outfile = join(root, ".gen", relative(root, entry).replace(/\.ts$/, ".js"));
  const { outputFiles } = buildSync({
    entryPoints: [entry],
    write: false,
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    packages: "external",
    sourcemap: "inline",
    outfile,
    logLevel: "warning",
  });
  // Write then rename, so a process starting at the same moment never loads half a file.
  mkdirSync(dirname(outfile), { recursive: true });
  const temporary = `${outfile}.${process.pid}.tmp`;
  writeFileSync(temporary, outputFiles[0].contents);
  renameSync(temporary, outfile);
  return outfile;
}

function runTs(entry) {
  const outfile = bundleTs(entry);
  process.setSourceMapsEnabled(true);
  return require(outfile);
}

module.exports = { runTs, bundleTs, root };

if (require.main === module) {
  const entry = process.argv[2];
  if (!entry) {
    console.error("usage: node scripts/run-ts.cjs <entry.ts>");
    process.exit(2);
  }
  runTs(resolve(entry));
}
