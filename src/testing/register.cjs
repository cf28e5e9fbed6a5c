// Runs this repository's TypeScript under Node without a build step, for `node --test`:
//   node --require webhook-gateway/register --test test/examples/node-test/
// (`webhook-gateway/register`: package.json exports this file).
// Our .ts files are transpiled to CommonJS by esbuild (types stripped, no type check); packages
// load untouched, so ESM-only ones (@octokit/*) go through Node's own require(esm) (22.12+).
// tsx 4 does not work here: it rewrites those ESM packages to CommonJS, whose `require` then
// cannot resolve their ESM-only dependencies (ERR_PACKAGE_PATH_NOT_EXPORTED).
const { registerHooks } = require("node:module");
const { readFileSync } = require("node:fs");
const { fileURLToPath } = require("node:url");
const { transformSync } = require("esbuild");

process.setSourceMapsEnabled(true);

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (!specifier.startsWith(".")) throw error;
      for (const candidate of [`${specifier}.ts`, `${specifier}/index.ts`]) {
        try {
          return nextResolve(candidate, context);
        } catch {}
      }
      throw error;
    }
  },
  load(url, context, nextLoad) {
    if (!url.startsWith("file:") || !url.endsWith(".ts") || url.includes("/node_modules/")) {
      return nextLoad(url, context);
    }
    const file = fileURLToPath(url);
    const { code } = transformSync(readFileSync(file, "utf8"), {
      loader: "ts",
      format: "cjs",
      target: "node22",
      sourcemap: "inline",
      sourcefile: file,
    });
    return { format: "commonjs", source: code, shortCircuit: true };
  },
});
