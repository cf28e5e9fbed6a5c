// `npm run synth` / `npm run deploy`: the cdktf CLI without its checkpoint call home
// (https://checkpoint-api.hashicorp.com, version and telemetry), which offline prints red
// "[ERROR] getaddrinfo ENOTFOUND" lines. CHECKPOINT_DISABLE is cdktf's documented switch; set here
// rather than inline in package.json so that it works on every shell. The stack app it runs also
// inherits a quieted DEP0044 (util.isArray, deprecated, used inside a dependency, printed red).
const { spawnSync } = require("node:child_process");
const { dirname, join } = require("node:path");

const cli = join(dirname(require.resolve("cdktf-cli/package.json")), "bundle", "bin", "cdktf");
const result = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], {
  stdio: "inherit",
  env: {
    CHECKPOINT_DISABLE: "1",
    ...process.env,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --disable-warning=DEP0044`.trim(),
  },
});
process.exit(result.status ?? 1);
