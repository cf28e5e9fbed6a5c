import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Metafile } from "esbuild";
import {
  type BundleResult,
  bundleAll,
  discoverHandlers,
  EDGE_FORBIDDEN_INPUTS,
  forbiddenInputs,
  ROOT,
} from "../../stacks/bundle";

const metafile = (inputs: string[]): Metafile => ({
  inputs: Object.fromEntries(inputs.map((path) => [path, { bytes: 1, imports: [] }])),
  outputs: {},
});

describe("bundling every handler", () => {
  let outdir: string;
  let results: BundleResult[];

  beforeAll(async () => {
    outdir = mkdtempSync(join(tmpdir(), "gateway-bundles-"));
    results = await bundleAll({ outdir });
  }, 120_000);

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it("bundles each discovered entry point into <outdir>/<name>/index.js with a linked source map", () => {
    expect(results.map((r) => r.name)).toEqual(discoverHandlers().map((h) => h.name));
    expect(results[0]!.name).toBe("ingest");
    for (const result of results) {
      const code = readFileSync(join(outdir, result.name, "index.js"), "utf8");
      expect(result.bytes).toBe(Buffer.byteLength(code));
      expect(code).toContain("//# sourceMappingURL=index.js.map");
      expect(existsSync(join(outdir, result.name, "index.js.map"))).toBe(true);
    }
  });

  it("keeps @slack/bolt and the @octokit/webhooks emitter out of the edge", () => {
    const ingest = results.find((r) => r.name === "ingest")!;
    const inputs = Object.keys(ingest.metafile.inputs);
    expect(forbiddenInputs(ingest.metafile)).toEqual([]);
    expect(inputs.filter((i) => i.includes("@slack/"))).toEqual([]);
    expect(inputs.filter((i) => /@octokit\/webhooks(\/|$)/.test(i))).toEqual([]);
    // Sanity: the metafile really lists what was bundled, AWS SDK included.
    expect(inputs).toContain("handlers/ingest.ts");
    expect(inputs.some((i) => i.includes("node_modules/@aws-sdk/client-sqs/"))).toBe(true);
  });

  it("produces bundles that load on their own (no node_modules) and export the handler", () => {
    const files = results.map((r) => join(outdir, r.name, "index.js"));
    const script = `for (const f of ${JSON.stringify(files)}) process.stdout.write(typeof require(f).handler + " ");`;
    const output = execFileSync(process.execPath, ["--enable-source-maps", "-e", script], {
      cwd: tmpdir(),
      // What the stack sets, with placeholder values: the cold-start code reads it at require time.
      env: {
        PATH: process.env.PATH,
        AWS_REGION: "us-east-1",
        GATEWAY_ROUTES: JSON.stringify([
          { name: "archive", queueUrl: "https://sqs.us-east-1.amazonaws.com/1/a" },
        ]),
        GITHUB_WEBHOOK_SECRET_ID: "arn:aws:secretsmanager:us-east-1:123456789012:secret:gh",
        CONSUMER_NAME: "archive",
        QUEUE_FIFO: "false",
        IDEMPOTENCY_TABLE: "idempotency",
        ARCHIVE_TABLE: "archive",
        CLAIM_CHECK_BUCKET: "claims",
        SLACK_BOT_TOKEN_SECRET_ID: "arn:aws:secretsmanager:us-east-1:123456789012:secret:bot",
        NOTIFY_SLACK_CHANNEL: "#github",
        REDELIVERY_TABLE: "redelivery",
        REDELIVERY_REPO: "octo/repo",
        REDELIVERY_HOOK_ID: "1",
        GITHUB_TOKEN_SECRET_ID: "arn:aws:secretsmanager:us-east-1:123456789012:secret:token",
      },
      encoding: "utf8",
      // stderr is captured (not echoed) and ends up in the error if a bundle fails to load.
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(output.trim().split(" ")).toEqual(results.map(() => "function"));
  });
});

describe("the edge bundle guard", () => {
  it("flags Bolt and the @octokit/webhooks emitter, not @octokit/webhooks-methods", () => {
    const inputs = [
      "node_modules/@slack/bolt/dist/App.js",
      "node_modules/@octokit/webhooks/dist-bundle/index.js",
      "node_modules/@octokit/webhooks-methods/dist-node/index.js",
      "node_modules/@aws-sdk/client-sqs/dist-es/index.js",
      "src/edge/signatures/slack.ts",
    ];
    expect(forbiddenInputs(metafile(inputs))).toEqual(inputs.slice(0, 2));
    expect(EDGE_FORBIDDEN_INPUTS).toEqual(["node_modules/@slack/bolt/", "node_modules/@octokit/webhooks/"]);
  });

  it("fails the build when the ingest handler imports Bolt", async () => {
    // Inside the repository so that node_modules resolves; .gen/ is ignored by git.
    const root = join(ROOT, ".gen", `bundle-guard-${process.pid}`);
    mkdirSync(join(root, "handlers"), { recursive: true });
    writeFileSync(
      join(root, "handlers", "ingest.ts"),
      'import { App } from "@slack/bolt";\nexport const handler = async () => typeof App;\n',
    );
    try {
      await expect(bundleAll({ root, outdir: join(root, "dist"), sourcemap: false })).rejects.toThrow(
        /the ingest bundle must not include @slack\/bolt or @octokit\/webhooks:\n {2}node_modules\/@slack\/bolt\//,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});
