import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Metafile } from "esbuild";
import { EDGE_METRICS, METRIC_DIMENSIONS } from "../../src/contract/metrics";
import {
  type BundleResult,
  bundleAll,
  bundleHandler,
  discoverHandlers,
  EDGE_FORBIDDEN_INPUTS,
  EDGE_LAZY_PACKAGES,
  forbiddenInputs,
  ROOT,
} from "../../stacks/bundle";

const metafile = (inputs: string[]): Metafile => ({
  inputs: Object.fromEntries(inputs.map((path) => [path, { bytes: 1, imports: [] }])),
  outputs: {},
});

/** A function URL event of an unsigned GitHub delivery: the edge refuses it (401). */
const UNSIGNED_STAR = {
  rawPath: "/github",
  headers: { "content-type": "application/json", "x-github-event": "star", "x-github-delivery": "d-1" },
  requestContext: { http: { method: "POST", path: "/github" } },
  body: "{}",
  isBase64Encoded: false,
};

/** A `node -e` script that sends {@link UNSIGNED_STAR} to a bundle's handler and writes `status <code>` on stderr. */
function unsignedRequestScript(bundle: string): string {
  return `require(${JSON.stringify(bundle)}).handler(${JSON.stringify(UNSIGNED_STAR)}, { awsRequestId: "r-1" }).then((r) => process.stderr.write("status " + r.statusCode));`;
}

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

describe("the edge's packages bundled apart", () => {
  let outdir: string;
  let results: BundleResult[];

  beforeAll(async () => {
    outdir = mkdtempSync(join(tmpdir(), "gateway-bundles-"));
    results = await bundleAll({ outdir, sourcemap: false });
  }, 120_000);

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  /** The names the edge's sources take from a package with `const { … } = require("<package>")`. */
  function requiredNames(name: string): string[] {
    const files = [
      "handlers/ingest.ts",
      "src/edge/app.ts",
      "src/edge/adapters/s3-claim-check.ts",
      "src/shared/tracing.ts",
    ];
    const pattern = new RegExp(`const \\{([^}]+)\\}\\s*=\\s*require\\(${JSON.stringify(name)}\\)`, "g");
    return files.flatMap((file) =>
      [...readFileSync(join(ROOT, file), "utf8").matchAll(pattern)].flatMap((m) =>
        m[1]!.split(",").map((part) => part.split(":")[0]!.trim()),
      ),
    );
  }

  it("leaves S3 and the Tracer out of the edge bundle and puts each in its node_modules", () => {
    const ingest = results.find((r) => r.name === "ingest")!;
    const inputs = Object.keys(ingest.metafile.inputs);
    expect(inputs.filter((i) => i.includes("node_modules/@aws-sdk/client-s3/"))).toEqual([]);
    expect(inputs.filter((i) => i.includes("node_modules/aws-xray-sdk-core/"))).toEqual([]);
    expect(inputs.filter((i) => i.includes("node_modules/@aws-sdk/client-secrets-manager/"))).toEqual([]);
    expect(inputs.filter((i) => i.includes("node_modules/@aws-lambda-powertools/logger/"))).toEqual([]);
    // The edge writes its EMF itself (src/edge/emf.ts): no Powertools Metrics, nor its commons.
    expect(inputs.filter((i) => i.includes("node_modules/@aws-lambda-powertools/"))).toEqual([]);
    expect(Object.keys(ingest.lazyMetafiles)).toEqual(Object.keys(EDGE_LAZY_PACKAGES));
    const script = `const out = {}; for (const name of ${JSON.stringify(Object.keys(EDGE_LAZY_PACKAGES))}) { const m = require(${JSON.stringify(join(outdir, "ingest", "node_modules"))} + "/" + name); out[name] = Object.keys(m).filter((k) => typeof m[k] === "function").sort(); } process.stdout.write(JSON.stringify(out));`;
    const exported = JSON.parse(
      execFileSync(process.execPath, ["-e", script], { cwd: tmpdir(), encoding: "utf8" }),
    );
    expect(exported).toEqual(
      Object.fromEntries(
        Object.entries(EDGE_LAZY_PACKAGES).map(([name, names]) => [name, [...names].sort()]),
      ),
    );
  });

  it("bundles apart every name the edge's sources require lazily", () => {
    expect(requiredNames("@aws-sdk/client-s3").sort()).toEqual(["PutObjectCommand", "S3Client"]);
    expect(requiredNames("@aws-lambda-powertools/tracer")).toEqual(["Tracer"]);
    expect(requiredNames("@aws-lambda-powertools/logger")).toEqual(["Logger"]);
    expect(requiredNames("@aws-sdk/client-secrets-manager")).toEqual([]);
    for (const name of Object.keys(EDGE_LAZY_PACKAGES)) {
      expect(EDGE_LAZY_PACKAGES[name]).toEqual(expect.arrayContaining(requiredNames(name)));
    }
  });

  it("loads the Tracer from beside the edge bundle when tracing is on", () => {
    const bundle = join(outdir, "ingest", "index.js");
    const output = execFileSync(
      process.execPath,
      ["-e", `process.stdout.write(typeof require(${JSON.stringify(bundle)}).handler)`],
      {
        cwd: tmpdir(),
        env: {
          PATH: process.env.PATH,
          AWS_REGION: "us-east-1",
          AWS_LAMBDA_FUNCTION_NAME: "gw-test-ingest",
          POWERTOOLS_TRACE_ENABLED: "true",
          GATEWAY_ROUTES: JSON.stringify([
            { name: "archive", queueUrl: "https://sqs.us-east-1.amazonaws.com/1/a" },
          ]),
          GITHUB_WEBHOOK_SECRET_ID: "arn:aws:secretsmanager:us-east-1:123456789012:secret:gh",
        },
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    expect(output).toBe("function");
  });

  it("loads the Logger from beside the edge bundle for the first line it prints", () => {
    const bundle = join(outdir, "ingest", "index.js");
    const script = unsignedRequestScript(bundle);
    const child = spawnSync(process.execPath, ["-e", script], {
      cwd: tmpdir(),
      env: {
        PATH: process.env.PATH,
        AWS_REGION: "us-east-1",
        AWS_LAMBDA_LOG_LEVEL: "WARN",
        GATEWAY_ROUTES: JSON.stringify([
          { name: "archive", queueUrl: "https://sqs.us-east-1.amazonaws.com/1/a" },
        ]),
        GITHUB_WEBHOOK_SECRET: "bundle-test-secret",
      },
      encoding: "utf8",
    });
    // The unsigned delivery is refused, logged at WARN (on stderr) by the Logger loaded beside the bundle.
    const lines = child.stderr.split("\n");
    expect(lines.at(-1)).toBe("status 401");
    expect(lines.slice(0, -1).map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        level: "WARN",
        message: "request rejected",
        function_request_id: "r-1",
        provider: "github",
        reason: "invalid_signature",
      }),
    ]);
  });
});

describe("the edge bundle's metrics", () => {
  let outdir: string;
  const env = {
    PATH: process.env.PATH,
    AWS_REGION: "us-east-1",
    POWERTOOLS_SERVICE_NAME: "gw-test-ingest",
    POWERTOOLS_METRICS_NAMESPACE: "GwTest",
    POWERTOOLS_LOG_LEVEL: "SILENT",
    GATEWAY_ROUTES: JSON.stringify([
      { name: "archive", queueUrl: "https://sqs.us-east-1.amazonaws.com/1/a" },
    ]),
    GITHUB_WEBHOOK_SECRET: "bundle-test-secret",
  };

  beforeAll(async () => {
    outdir = mkdtempSync(join(tmpdir(), "gateway-bundles-"));
    await bundleHandler(
      { name: "ingest", entry: join(ROOT, "handlers", "ingest.ts"), lazyPackages: EDGE_LAZY_PACKAGES },
      outdir,
      { sourcemap: false },
    );
  }, 120_000);

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  /** Runs one unsigned delivery (refused: no AWS call) through the bundle; its stdout, its status on stderr. */
  function refuse(extra: Record<string, string> = {}) {
    const bundle = join(outdir, "ingest", "index.js");
    const script = unsignedRequestScript(bundle);
    return spawnSync(process.execPath, ["-e", script], {
      cwd: tmpdir(),
      env: { ...env, ...extra },
      encoding: "utf8",
    });
  }

  /** What a Powertools Metrics configured as handlers/ingest.ts configures it prints for a rejection. */
  function powertoolsLines(timestamp: number): string[] {
    const lines: string[] = [];
    const write = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const now = jest.spyOn(Date, "now").mockReturnValue(timestamp);
    try {
      const metrics = new Metrics({
        serviceName: env.POWERTOOLS_SERVICE_NAME,
        namespace: env.POWERTOOLS_METRICS_NAMESPACE,
      });
      metrics.addMetric(EDGE_METRICS.received, MetricUnit.Count, 1);
      const single = metrics.singleMetric();
      single.addDimension(METRIC_DIMENSIONS.reason, "invalid_signature");
      single.addMetric(EDGE_METRICS.rejected, MetricUnit.Count, 1);
      metrics.publishStoredMetrics();
    } finally {
      write.mockRestore();
      now.mockRestore();
    }
    return lines;
  }

  it("prints on stdout the EMF Powertools' Metrics prints for the same calls, and nothing else", () => {
    const before = Date.now();
    const child = refuse();
    const after = Date.now();

    expect(child.stderr).toBe("status 401");
    const timestamps = [...child.stdout.matchAll(/"Timestamp":(\d+)/g)].map((m) => Number(m[1]));
    expect(timestamps).toHaveLength(2);
    for (const t of timestamps) expect(t >= before && t <= after).toBe(true);
    const normalized = child.stdout.replaceAll(/"Timestamp":\d+/g, '"Timestamp":1');
    expect(normalized).toBe(powertoolsLines(1).join(""));
    expect(normalized.split("\n")).toHaveLength(3);
  });

  it("prints nothing with POWERTOOLS_METRICS_DISABLED", () => {
    const child = refuse({ POWERTOOLS_METRICS_DISABLED: "true" });

    expect(child.stderr).toBe("status 401");
    expect(child.stdout).toBe("");
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
