/**
 * 2. Cold start: a fresh `node` process that loads one minified handler bundle, many times,
 * interleaved across bundles. The edge's bundle is built by `stacks/bundle.ts` exactly as it is
 * deployed; the references are built with the same function and options.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { Metafile } from "esbuild";
import { bundleHandler, EDGE_LAZY_PACKAGES, forbiddenInputs } from "../../stacks/bundle";
import { GITHUB_SECRET, ROOT, SLACK_SECRET } from "../lib/corpus";
import { median, msSince, rotate } from "../lib/stats";
import type { Target } from "../lib/target";

export interface BundleFigures {
  name: string;
  label: string;
  entry: string;
  bytes: number;
  modules: number;
  /** Medians over runs. */
  readyMs: number;
  requireMs: number;
  wallMs: number;
  rssBytes: number;
  maxRssBytes: number;
  /** ns per bare `await` after the bundle is loaded (one untimed probe run). */
  awaitNs: number;
}

export interface ColdStartResult {
  runs: number;
  bundles: BundleFigures[];
  /**
   * The SQS-only reference plus one of the edge's other dependencies each (empty in smoke runs);
   * `addedReadyMs` is the median over runs of the difference to the SQS-only bundle in the same run.
   */
  composition: (BundleFigures & { addedReadyMs: number; addedBytes: number })[];
  /** Bytes of the edge bundle by package, largest first. */
  edgePackages: { name: string; bytes: number }[];
  /** Median over rounds of the edge's figure divided by the reference's, same round. */
  ratios: { versus: string; ready: number; require: number; wall: number; maxRss: number }[];
  targets: Target[];
  notes: string[];
}

interface Sample {
  readyMs: number;
  requireMs: number;
  wallMs: number;
  rssBytes: number;
  maxRssBytes: number;
}

interface BundleSpec {
  name: string;
  label: string;
  entry: string;
  /** Added to the common environment. */
  env?: Record<string, string>;
}

const BUNDLES: BundleSpec[] = [
  { name: "ingest", label: "edge (handlers/ingest.ts)", entry: join(ROOT, "handlers", "ingest.ts") },
  { name: "sqs-only", label: "SQS client only", entry: join(ROOT, "bench", "cold", "sqs-only.ts") },
  { name: "bolt", label: "Bolt AwsLambdaReceiver app", entry: join(ROOT, "bench", "cold", "bolt.ts") },
  { name: "empty", label: "empty handler (Node itself)", entry: join(ROOT, "bench", "cold", "empty.ts") },
  {
    // As deployed with active tracing: in Lambda, and POWERTOOLS_TRACE_ENABLED not false.
    name: "ingest-traced",
    label: "edge, tracing on (as in Lambda)",
    entry: join(ROOT, "handlers", "ingest.ts"),
    env: { AWS_LAMBDA_FUNCTION_NAME: "ingest", POWERTOOLS_TRACE_ENABLED: "true" },
  },
];

const PARTS: BundleSpec[] = [
  { name: "part-s3", label: "+ @aws-sdk/client-s3", file: "s3.ts" },
  { name: "part-secrets", label: "+ @aws-sdk/client-secrets-manager", file: "secrets-manager.ts" },
  { name: "part-tracer", label: "+ Powertools Tracer (X-Ray SDK)", file: "tracer.ts" },
  { name: "part-logger-metrics", label: "+ Powertools Logger and Metrics", file: "logger-metrics.ts" },
  { name: "part-all", label: "+ all but the Tracer at once (no edge code)", file: "all.ts" },
  {
    name: "part-all-lazy",
    label: "+ the same, Tracer bundled behind a lazy require (no edge code)",
    file: "all-lazy-tracer.ts",
  },
].map((part) => ({ ...part, entry: join(ROOT, "bench", "cold", "parts", part.file) }));

/** Bytes in the bundle by package (`node_modules/<pkg>`), or by top folder for our own code. */
function packageBytes(metafile: Metafile): { name: string; bytes: number }[] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path.replaceAll("\\", "/"));
      const name = match ? match[1]! : `${path.split("/")[0]}/ (this repository)`;
      totals.set(name, (totals.get(name) ?? 0) + input.bytesInOutput);
    }
  }
  return [...totals].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/** What the edge reads at load; every bundle gets this environment (plus its own `env`). */
export function coldEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    AWS_REGION: "us-east-1",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    GATEWAY_ROUTES: JSON.stringify([
      { name: "archive", queueUrl: "https://sqs.us-east-1.amazonaws.com/000000000000/archive" },
    ]),
    GITHUB_WEBHOOK_SECRET: GITHUB_SECRET,
    SLACK_SIGNING_SECRET: SLACK_SECRET,
    POWERTOOLS_SERVICE_NAME: "webhook-gateway",
    POWERTOOLS_LOG_LEVEL: "SILENT",
    POWERTOOLS_METRICS_DISABLED: "true",
    POWERTOOLS_TRACE_ENABLED: "false",
  };
}

function loadOnce(outfile: string, env: Record<string, string>): Sample & { awaitNs?: number } {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [join(ROOT, "bench", "cold", "loader.cjs"), outfile], {
    env,
    encoding: "utf8",
  });
  const wallMs = msSince(start);
  if (result.status !== 0) throw new Error(`loading ${outfile} failed: ${result.stderr}`);
  const parsed = JSON.parse(result.stdout) as Omit<Sample, "wallMs"> & { handler: string; awaitNs?: number };
  if (parsed.handler !== "function") throw new Error(`${outfile} exports no handler function`);
  return { ...parsed, wallMs };
}

/**
 * Bundles the edge and the references, then loads each `runs` times, interleaved.
 *
 * @example
 * const result = await coldStart({ runs: 20 }, console.log);
 */
export async function coldStart(
  options: { runs: number; composition: boolean },
  log: (line: string) => void,
): Promise<ColdStartResult> {
  const outdir = join(ROOT, "bench", "results", "bundles");
  const built: (BundleSpec & { outfile: string; bytes: number; modules: number })[] = [];
  const notes: string[] = [];
  let edgePackages: { name: string; bytes: number }[] = [];
  for (const bundle of [...BUNDLES, ...(options.composition ? PARTS : [])]) {
    // The edge as deployed: S3 and the Tracer bundled apart (EDGE_LAZY_PACKAGES).
    const lazyPackages =
      bundle.entry === join(ROOT, "handlers", "ingest.ts") ? EDGE_LAZY_PACKAGES : undefined;
    const result = await bundleHandler({ name: bundle.name, entry: bundle.entry, lazyPackages }, outdir, {
      sourcemap: false,
    });
    built.push({
      ...bundle,
      outfile: result.outfile,
      bytes: result.bytes,
      modules: Object.keys(result.metafile.inputs).length,
    });
    if (bundle.name === "ingest") {
      edgePackages = packageBytes(result.metafile);
      const leaked = forbiddenInputs(result.metafile);
      notes.push(
        leaked.length === 0
          ? "The edge bundle holds neither `@slack/bolt` nor `@octokit/webhooks` (checked with `forbiddenInputs` on the esbuild metafile)."
          : `The edge bundle pulls in forbidden packages: ${leaked.join(", ")}.`,
      );
    }
  }
  const envOf = (bundle: BundleSpec) => ({ ...coldEnv(), ...bundle.env });
  // One untimed load each (the first read of a fresh file comes from disk, not the page cache),
  // which also probes the cost of an await once the bundle is loaded.
  const awaitNs = built.map(
    (bundle) => loadOnce(bundle.outfile, { ...envOf(bundle), BENCH_AWAIT_PROBE: "1" }).awaitNs ?? Number.NaN,
  );

  const samples: Sample[][] = built.map(() => []);
  for (let run = 0; run < options.runs; run++) {
    for (const i of rotate(
      built.map((_, index) => index),
      run,
    )) {
      samples[i]!.push(loadOnce(built[i]!.outfile, envOf(built[i]!)));
    }
  }

  const figures: BundleFigures[] = built.map((bundle, i) => {
    const s = samples[i]!;
    return {
      name: bundle.name,
      label: bundle.label,
      entry: bundle.entry.slice(ROOT.length + 1),
      bytes: bundle.bytes,
      modules: bundle.modules,
      readyMs: median(s.map((x) => x.readyMs)),
      requireMs: median(s.map((x) => x.requireMs)),
      wallMs: median(s.map((x) => x.wallMs)),
      rssBytes: median(s.map((x) => x.rssBytes)),
      maxRssBytes: median(s.map((x) => x.maxRssBytes)),
      awaitNs: awaitNs[i]!,
    };
  });
  const main = figures.slice(0, BUNDLES.length);
  const base = figures[1]!;
  // Paired: the median over runs of (part − SQS-only) within the same run, which cancels drift.
  const composition = figures.slice(BUNDLES.length).map((f, k) => ({
    ...f,
    addedReadyMs: median(samples[BUNDLES.length + k]!.map((x, run) => x.readyMs - samples[1]![run]!.readyMs)),
    addedBytes: f.bytes - base.bytes,
  }));
  for (const f of figures) {
    log(
      `    ${f.label.padEnd(34)} ${(f.bytes / 1024).toFixed(0).padStart(6)} KiB  ready ${f.readyMs.toFixed(1)} ms  require ${f.requireMs.toFixed(1)} ms  wall ${f.wallMs.toFixed(1)} ms  max RSS ${(f.maxRssBytes / 1048576).toFixed(1)} MiB  await ${f.awaitNs.toFixed(0)} ns`,
    );
  }

  const edgeIndex = 0;
  const ratioTo = (j: number) => {
    const per = (key: keyof Sample) =>
      median(samples[edgeIndex]!.map((x, run) => x[key] / samples[j]![run]![key]));
    return {
      versus: built[j]!.label,
      ready: per("readyMs"),
      require: per("requireMs"),
      wall: per("wallMs"),
      maxRss: per("maxRssBytes"),
    };
  };
  const vsSqs = ratioTo(1);
  const vsBolt = ratioTo(2);
  // The edge-versus-SQS target is measured as deployed, to the first answer, in suite 5 (lambda.ts).
  const targets: Target[] = [
    {
      label: "edge ≤ 0.6× the Bolt bundle (process start to handler loaded)",
      figure: `${vsBolt.ready.toFixed(2)}× (${figures[0]!.readyMs.toFixed(1)} vs ${figures[2]!.readyMs.toFixed(1)} ms)`,
      met: vsBolt.ready <= 0.6,
    },
  ];
  return {
    runs: options.runs,
    bundles: main,
    composition,
    edgePackages,
    ratios: [vsSqs, vsBolt],
    targets,
    notes,
  };
}
