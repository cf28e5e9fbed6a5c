import { existsSync } from "node:fs";
import { join } from "node:path";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { CodedError } from "../../src/shared/errors";

/** A bundle that `npm run build` should have produced and did not. */
export class MissingBundleError extends CodedError {
  constructor(readonly bundle: string) {
    super(
      "missing_bundle",
      `Lambda bundle ${bundle} is missing. Run \`npm run build\` first: it bundles handlers/ingest.ts, ` +
        "handlers/consumers/*.ts and handlers/redeliver.ts into dist/<name>/index.js (`npm run synth` and " +
        "`npm run deploy` do it for you). A consumer whose handler does not exist yet must be removed from " +
        'gateway.config.json ({"name": "…", "enabled": false}).',
    );
  }
}

export interface LambdaBundleProps {
  /** Directory holding one `<name>/index.js` per handler (normally `dist/`). */
  distDir: string;
  /** Bundle name: `ingest`, or the consumer handler's file name. */
  name: string;
}

/**
 * A handler bundle as a zip asset. Synthesis does not bundle: it only packages what
 * `npm run build` wrote, so a synth is fast, offline and deterministic, and it fails with a clear
 * {@link MissingBundleError} rather than deploying an empty function.
 *
 * @example
 * const bundle = new LambdaBundle(this, "bundle", { distDir: "dist", name: "ingest" });
 * new LambdaFunction(this, "fn", { filename: bundle.asset.path, sourceCodeHash: bundle.asset.assetHash, … });
 */
export class LambdaBundle extends Construct {
  readonly asset: TerraformAsset;

  constructor(scope: Construct, id: string, props: LambdaBundleProps) {
    super(scope, id);
    const dir = join(props.distDir, props.name);
    if (!existsSync(join(dir, "index.js"))) throw new MissingBundleError(join(dir, "index.js"));
    this.asset = new TerraformAsset(this, "asset", { path: dir, type: AssetType.ARCHIVE });
  }
}
