import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../stacks/bundle";
import { stubBundles } from "./support/synth";

const STAGE = "clitest";
const STACK = `webhook-gateway-${STAGE}`;

/**
 * Runs a command from the repository root with only the configuration the test chooses: no
 * gateway.config.json of the developer's, no GATEWAY_* variables from their shell.
 */
function run(command: string, args: string[], env: Record<string, string>) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("GATEWAY_")),
  );
  return spawnSync(command, args, {
    cwd: ROOT,
    env: { ...clean, CHECKPOINT_DISABLE: "1", CI: "1", FORCE_COLOR: "0", ...env },
    encoding: "utf8",
    timeout: 120_000,
  });
}

describe("cdktf CLI", () => {
  let work: string;
  let config: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "gateway-cli-"));
    config = join(work, "gateway.config.json");
    writeFileSync(config, JSON.stringify({ stage: STAGE }));
  });

  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
    rmSync(join(ROOT, "cdktf.out", "stacks", STACK), { recursive: true, force: true });
  });

  it("synthesizes the stack offline into cdktf.out/stacks/<stack>/cdk.tf.json", () => {
    const dist = stubBundles(["ingest", "archive", "github", "slack", "notifier"]);
    const result = run("npx", ["cdktf", "synth"], { GATEWAY_CONFIG: config, GATEWAY_DIST_DIR: dist });
    rmSync(dist, { recursive: true, force: true });
    expect({ status: result.status, error: result.error?.message }).toEqual({ status: 0, error: undefined });
    const file = join(ROOT, "cdktf.out", "stacks", STACK, "cdk.tf.json");
    expect(existsSync(file)).toBe(true);
    const json = JSON.parse(readFileSync(file, "utf8"));
    expect(json.terraform.required_providers.aws.version).toBe(">= 6.28.0, < 7.0.0");
    expect(Object.values(json.resource.aws_lambda_permission)).toContainEqual(
      expect.objectContaining({ action: "lambda:InvokeFunction", invoked_via_function_url: true }),
    );
    expect(Object.keys(json.resource.aws_lambda_function)).toHaveLength(5);
  }, 150_000);

  it("refuses to synthesize without bundles and says to run npm run build", () => {
    const empty = mkdtempSync(join(work, "dist-"));
    const result = run("npx", ["tsx", "stacks/main.ts"], {
      GATEWAY_CONFIG: config,
      GATEWAY_DIST_DIR: empty,
      CDKTF_OUTDIR: join(work, "out"),
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`error: Lambda bundle ${join(empty, "archive", "index.js")} is missing.`);
    expect(result.stderr).toContain("Run `npm run build` first");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
