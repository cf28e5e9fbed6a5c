/**
 * `npm run bench`: runs the benchmarks side by side and writes BENCHMARKS.md.
 *
 *   npm run bench                        all suites, full rounds; writes BENCHMARKS.md
 *   npm run bench -- --smoke             all suites, a few rounds (CI, about 20 s); writes bench/results/ only
 *   npm run bench -- --only lambda,cost  some suites (lambda, cost, edge, breakdown, cold, scaling, pipeline)
 *   npm run bench -- --write             also write BENCHMARKS.md for a smoke or partial run
 *   npm run bench -- --no-profile        skip the CPU profiles taken when a throughput target is missed
 *
 * Benchmarks report figures; they never fail on slowness (exit 0 unless something crashes).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { ROOT } from "./lib/corpus";
import { machine } from "./lib/machine";
import { profile } from "./profile";
import { allTargets, renderMarkdown } from "./report/markdown";
import type { BenchResults } from "./report/types";
import { breakdown } from "./suites/breakdown";
import { coldStart } from "./suites/cold-start";
import { costModel } from "./suites/cost";
import { lambdaEdge } from "./suites/lambda";
import { pipeline } from "./suites/pipeline";
import { scaling } from "./suites/scaling";
import { throughput } from "./suites/throughput";
import { tracerEffect } from "./suites/tracer";

const SUITES = ["lambda", "cost", "edge", "breakdown", "cold", "scaling", "pipeline"] as const;
type Suite = (typeof SUITES)[number];
const ALIASES: Record<string, Suite> = { throughput: "edge", "cold-start": "cold", coldstart: "cold" };

interface Args {
  smoke: boolean;
  only: Suite[] | undefined;
  write: boolean;
  profile: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { smoke: false, only: undefined, write: false, profile: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--smoke") args.smoke = true;
    else if (arg === "--write") args.write = true;
    else if (arg === "--no-profile") args.profile = false;
    else if (arg === "--only" || arg.startsWith("--only=")) {
      const value = arg.includes("=") ? arg.slice("--only=".length) : argv[++i];
      if (!value) throw new Error("--only needs a suite name");
      args.only = value.split(",").map((name) => {
        const suite = ALIASES[name] ?? name;
        if (!SUITES.includes(suite as Suite))
          throw new Error(`unknown suite ${name} (one of ${SUITES.join(", ")})`);
        return suite as Suite;
      });
    } else if (arg === "--help" || arg === "-h") {
      console.log(`usage: npm run bench -- [--smoke] [--only ${SUITES.join(",")}] [--write] [--no-profile]`);
      process.exit(0);
    } else throw new Error(`unknown option ${arg}`);
  }
  return args;
}

const FULL = {
  lambda: { deliveries: 329, passes: 3, rounds: 7, coldRuns: 21 },
  cost: { deliveries: 329 },
  throughput: { warmupMs: 1000, roundMs: 300, rounds: 11 },
  tracer: { rounds: 5, runMs: 1000, corpora: ["github", "slack"] as const },
  // Many short rounds: the per-round differences between rungs are taken close together in time.
  breakdown: { warmupMs: 300, roundMs: 60, rounds: 25, largePayloads: true },
  cold: { runs: 20, composition: true },
  scaling: { warmupMs: 300, roundMs: 200, rounds: 7 },
  // The burst (three copies of every delivery at once) runs too: 16 is among the levels.
  pipeline: { deliveries: 600, concurrency: [1, 16, 32], rounds: 2 },
  profileSeconds: 3,
};

const SMOKE = {
  lambda: { deliveries: 20, passes: 1, rounds: 1, coldRuns: 1 },
  cost: { deliveries: 20 },
  throughput: { warmupMs: 150, roundMs: 40, rounds: 3 },
  tracer: { rounds: 1, runMs: 100, corpora: ["slack"] as const },
  breakdown: { warmupMs: 40, roundMs: 15, rounds: 2, largePayloads: false },
  cold: { runs: 2, composition: false },
  scaling: { warmupMs: 20, roundMs: 25, rounds: 2 },
  pipeline: { deliveries: 20, concurrency: [16], rounds: 1 },
  profileSeconds: 0,
};

async function main(): Promise<void> {
  // The AWS SDK warns once about Node 20; the deployed runtime is Node 22, and the warning is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`bench: ${(error as Error).message}`);
    process.exit(2);
  }
  const settings = args.smoke ? SMOKE : FULL;
  const suites = args.only ?? [...SUITES];
  const started = Date.now();
  const results: BenchResults = {
    mode: args.smoke ? "smoke" : "full",
    suites,
    machine: machine(),
    durationSeconds: 0,
  };
  let mark = Date.now();
  const log = (line: string) => {
    // A section heading starts with a number: print how long the previous section took.
    if (/^\n?(\d|targets)/.test(line) && !line.startsWith("5. the edge as in Lambda")) {
      console.log(`  (${((Date.now() - mark) / 1000).toFixed(1)} s)`);
    }
    if (/^\n?\d/.test(line)) mark = Date.now();
    console.log(line);
  };
  const m = results.machine;
  log(`${m.cpu}, ${m.cores} cores, ${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB, Node ${m.node}`);
  log(`mode ${results.mode}; suites: ${suites.join(", ")}\n`);

  if (suites.includes("lambda")) {
    log("5. the edge as in Lambda: built bundle, real SQS client, AWS stub in another process");
    results.lambda = await lambdaEdge(settings.lambda, log);
  }
  if (suites.includes("cost")) {
    log("\n6. cost model: dollars per million GitHub deliveries (local pipeline, counted)");
    results.cost = await costModel(settings.cost, log);
  }
  if (suites.includes("edge")) {
    log("\n1. edge throughput (in-process, one core)");
    results.throughput = await throughput(settings.throughput, log);
    log(
      "\n1d. with tracing on: the edge core with and without the Powertools Tracer loaded (child processes)",
    );
    results.tracer = tracerEffect(settings.tracer, log);
  }
  if (suites.includes("breakdown")) {
    log("\n1b. where the edge's time goes (ladder)");
    results.breakdown = await breakdown(settings.breakdown, log);
  }
  const missed = results.throughput?.corpora.some((c) => c.targets.some((t) => !t.met));
  if (missed && args.profile && settings.profileSeconds > 0) {
    log("\n1c. CPU profiles of the edge (a throughput target was missed)");
    results.profiles = [];
    for (const corpus of ["github", "slack"] as const) {
      const summary = profile("edge", corpus, settings.profileSeconds);
      results.profiles.push({
        ...summary,
        title: corpus === "github" ? "Edge over the GitHub examples" : "Edge over the Slack fixtures",
      });
      log(`    ${corpus}: ${summary.file}`);
      for (const f of summary.functions.slice(0, 6)) {
        log(`      ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.name} (${f.where})`);
      }
    }
  }
  if (suites.includes("cold")) {
    log("\n2. cold start (fresh process per load)");
    results.cold = await coldStart(settings.cold, log);
  }
  if (suites.includes("scaling")) {
    log("\n3. scaling with payload size");
    results.scaling = await scaling(settings.scaling, log);
  }
  if (suites.includes("pipeline")) {
    log("\n4. local pipeline");
    results.pipeline = await pipeline(settings.pipeline, log);
  }

  results.durationSeconds = (Date.now() - started) / 1000;
  results.machine.loadAverageEnd = loadavg();

  log("\ntargets:");
  for (const { section, target } of allTargets(results)) {
    log(`  ${target.met ? "MET   " : "MISSED"}  ${section}: ${target.label} — ${target.figure}`);
  }
  if (results.pipeline?.status === "todo") log(`  TODO    local pipeline: ${results.pipeline.reason}`);

  const resultsDir = join(ROOT, "bench", "results");
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
  const complete = !args.smoke && args.only === undefined;
  const official = complete || args.write;
  const markdownPath = official ? join(ROOT, "BENCHMARKS.md") : join(resultsDir, "BENCHMARKS.md");
  writeFileSync(markdownPath, renderMarkdown(results));
  log(`\nwrote ${markdownPath.slice(ROOT.length + 1)} in ${results.durationSeconds.toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
