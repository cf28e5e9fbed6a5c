/**
 * 5. The edge as it runs in Lambda: the built bundle (`npm run build`'s `dist/ingest`) with the
 * real SQS client, sending to the AWS stub in another process, in the environment the stack gives
 * it. (a) CPU per delivery of the edge's process (`process.cpuUsage`), beside the floor with one
 * bare `SQSClient` send; (b) cold start to the first answer, beside an SQS-client-only bundle.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bundleHandler, EDGE_LAZY_PACKAGES } from "../../stacks/bundle";
import {
  deployedEdgeEnv,
  floorEnv,
  functionUrlEvent,
  type Stub,
  startStub,
  writeEvents,
} from "../lambda/deployed";
import { githubCorpus, ROOT } from "../lib/corpus";
import { median, rotate } from "../lib/stats";
import type { Target } from "../lib/target";

export interface LambdaOptions {
  /** Deliveries per pass (the first `n` of the 329 examples). */
  deliveries: number;
  /** Timed passes per process, after one untimed pass. */
  passes: number;
  rounds: number;
  coldRuns: number;
}

export interface CpuRow {
  name: string;
  description: string;
  /** Medians over rounds. */
  cpuUs: number;
  wallUs: number;
  /** Median over rounds of this row's CPU ÷ the floor's, same round. */
  ratio: number;
  /** SQS requests the stub answered per delivery. */
  sendsPerDelivery: number;
  statuses: Record<string, number>;
}

export interface ColdRow {
  name: string;
  description: string;
  /** Median over runs: process start to the first answer, ms. */
  answerMs: number;
  /** Median over runs: process start to the handler loaded, ms. */
  loadedMs: number;
  /** Median over runs of this row ÷ the SQS-only bundle, same run. */
  ratio: number;
  status: number;
}

export interface LambdaResult {
  options: LambdaOptions;
  bundleBytes: number;
  cpu: CpuRow[];
  cold: ColdRow[];
  targets: Target[];
}

interface Contender {
  name: string;
  description: string;
  outfile: string;
  env: Record<string, string>;
}

function runNode(args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    // stdout (the Powertools log lines and EMF) goes through a pipe, as in Lambda, and is dropped.
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stdout.resume();
    child.stderr.on("data", (chunk) => {
      err += chunk;
    });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${args[1]}: ${code} ${err}`))));
  });
}

async function cpuRounds(
  contenders: Contender[],
  eventsFile: string,
  events: number,
  options: LambdaOptions,
  stub: Stub,
  tmp: string,
): Promise<CpuRow[]> {
  const runs = contenders.map(
    () => [] as { cpuUs: number; wallUs: number; statuses: Record<string, number> }[],
  );
  const sends = contenders.map(() => [] as number[]);
  for (let round = 0; round < options.rounds; round++) {
    for (const i of rotate(
      contenders.map((_, k) => k),
      round,
    )) {
      const c = contenders[i]!;
      const result = join(tmp, `${c.name}.json`);
      const before = await stub.counts();
      await runNode(
        [join(ROOT, "bench", "lambda", "driver.cjs"), c.outfile, eventsFile, String(options.passes), result],
        c.env,
      );
      const after = await stub.counts();
      const sqs = (counts: Record<string, number>) =>
        (counts["AmazonSQS.SendMessage"] ?? 0) + (counts["AmazonSQS.SendMessageBatch"] ?? 0);
      sends[i]!.push((sqs(after) - sqs(before)) / (events * (options.passes + 1)));
      runs[i]!.push(JSON.parse(readFileSync(result, "utf8")));
    }
  }
  return contenders.map((c, i) => ({
    name: c.name,
    description: c.description,
    cpuUs: median(runs[i]!.map((r) => r.cpuUs)),
    wallUs: median(runs[i]!.map((r) => r.wallUs)),
    ratio: median(runs[i]!.map((r, round) => r.cpuUs / runs[0]![round]!.cpuUs)),
    sendsPerDelivery: median(sends[i]!),
    statuses: runs[i]![runs[i]!.length - 1]!.statuses,
  }));
}

async function coldRuns(contenders: Contender[], eventFile: string, runs: number, tmp: string) {
  const samples = contenders.map(() => [] as { loadedMs: number; answeredMs: number; status: number }[]);
  // One untimed run each: the first read of a fresh file comes from disk, not the page cache.
  for (let run = -1; run < runs; run++) {
    for (const i of rotate(
      contenders.map((_, k) => k),
      run,
    )) {
      const c = contenders[i]!;
      const result = join(tmp, `cold-${c.name}.json`);
      await runNode([join(ROOT, "bench", "lambda", "first-answer.cjs"), c.outfile, eventFile, result], c.env);
      if (run >= 0) samples[i]!.push(JSON.parse(readFileSync(result, "utf8")));
    }
  }
  const base = contenders.findIndex((c) => c.name === "sqs-only");
  return contenders.map(
    (c, i): ColdRow => ({
      name: c.name,
      description: c.description,
      answerMs: median(samples[i]!.map((s) => s.answeredMs)),
      loadedMs: median(samples[i]!.map((s) => s.loadedMs)),
      ratio: median(samples[i]!.map((s, run) => s.answeredMs / samples[base]![run]!.answeredMs)),
      status: samples[i]![0]!.status,
    }),
  );
}

/**
 * Builds `dist/ingest` as `npm run build` does and the floor bundle, starts the stub, and measures.
 *
 * @example
 * const result = await lambdaEdge({ deliveries: 329, passes: 3, rounds: 5, coldRuns: 15 }, console.log);
 */
export async function lambdaEdge(options: LambdaOptions, log: (line: string) => void): Promise<LambdaResult> {
  const tmp = join(ROOT, "bench", "results", "lambda");
  mkdirSync(tmp, { recursive: true });
  const edge = await bundleHandler(
    { name: "ingest", entry: join(ROOT, "handlers", "ingest.ts"), lazyPackages: EDGE_LAZY_PACKAGES },
    join(ROOT, "dist"),
  );
  const floor = await bundleHandler(
    { name: "floor-send", entry: join(ROOT, "bench", "lambda", "floor-send.ts") },
    join(ROOT, "bench", "results", "bundles"),
  );
  const corpus = githubCorpus().slice(0, options.deliveries);
  const eventsFile = writeEvents(join(tmp, "github-events.json"), corpus);
  const eventFile = join(tmp, "github-event.json");
  const push = corpus.find((r) => r.name.includes("push")) ?? corpus[0]!;
  writeFileSync(eventFile, JSON.stringify(functionUrlEvent(push)));
  const stub = await startStub();
  try {
    const edgeRow = (name: string, description: string, env: Record<string, string>) => ({
      name,
      description,
      outfile: edge.outfile,
      env,
    });
    const floorRow = {
      name: "floor+send",
      description: "HMAC-SHA256 check, `JSON.parse`, one `new SQSClient({}).send(SendMessage)` of the body",
      outfile: floor.outfile,
      env: floorEnv(stub.url),
    };
    log(
      `    CPU per delivery, ${corpus.length} deliveries × ${options.passes} passes, ${options.rounds} rounds`,
    );
    const cpu = await cpuRounds(
      [
        floorRow,
        edgeRow(
          "edge, default routes",
          "the four default consumers, routed as the stack routes them",
          deployedEdgeEnv(stub.url, { routes: "default" }),
        ),
        edgeRow("edge, one route", "one catch-all route", deployedEdgeEnv(stub.url, { routes: "one" })),
        edgeRow(
          "edge, logs at INFO",
          'the default routes with `logLevel: "INFO"`: one log line per delivery (the former default)',
          deployedEdgeEnv(stub.url, { routes: "default", logLevel: "INFO" }),
        ),
      ],
      eventsFile,
      corpus.length,
      options,
      stub,
      tmp,
    );
    for (const r of cpu) {
      log(
        `      ${r.name.padEnd(24)} ${r.cpuUs.toFixed(0).padStart(6)} µs CPU  ${r.ratio.toFixed(2)}×  ${r.sendsPerDelivery.toFixed(2)} sends/delivery`,
      );
    }
    log(`    cold start to the first answer, ${options.coldRuns} runs`);
    const cold = await coldRuns(
      [
        edgeRow(
          "edge as deployed",
          "`dist/ingest` in the stack's environment (no `NODE_OPTIONS`, tracing off)",
          deployedEdgeEnv(stub.url, { routes: "default" }),
        ),
        {
          ...floorRow,
          name: "sqs-only",
          description: "the floor bundle: only `@aws-sdk/client-sqs` (one send)",
        },
        edgeRow(
          "edge, source maps on",
          "as deployed, plus `NODE_OPTIONS=--enable-source-maps` (the stack's former setting)",
          deployedEdgeEnv(stub.url, { routes: "default", nodeOptions: "--enable-source-maps" }),
        ),
        edgeRow(
          "edge, tracing on",
          "as deployed with `tracing: true` (the Powertools Tracer loaded)",
          deployedEdgeEnv(stub.url, { routes: "default", tracing: true }),
        ),
      ],
      eventFile,
      options.coldRuns,
      tmp,
    );
    for (const r of cold) {
      log(
        `      ${r.name.padEnd(24)} ${r.answerMs.toFixed(1).padStart(6)} ms  ${r.ratio.toFixed(2)}×  (loaded ${r.loadedMs.toFixed(1)} ms)`,
      );
    }
    return { options, bundleBytes: edge.bytes, cpu, cold, targets: targets(cpu, cold, options) };
  } finally {
    stub.stop();
  }
}

function targets(cpu: CpuRow[], cold: ColdRow[], options: LambdaOptions): Target[] {
  const byName = <T extends { name: string }>(rows: T[], name: string) => rows.find((r) => r.name === name)!;
  const edge = byName(cpu, "edge, default routes");
  const floor = byName(cpu, "floor+send");
  const deployed = byName(cold, "edge as deployed");
  const sqs = byName(cold, "sqs-only");
  return [
    {
      label: "edge CPU per delivery with the default routes ≤ 1.3× the floor + one send",
      figure: `${edge.ratio.toFixed(2)}× (${edge.cpuUs.toFixed(0)} vs ${floor.cpuUs.toFixed(0)} µs; ${edge.sendsPerDelivery.toFixed(2)} sends per delivery; ${options.rounds} rounds)`,
      met: edge.ratio <= 1.3,
      command: "npm run bench -- --only lambda",
    },
    {
      label: "edge cold start as deployed, to the first answer ≤ 1.15× the SQS-only bundle",
      figure: `${deployed.ratio.toFixed(2)}× (${deployed.answerMs.toFixed(1)} vs ${sqs.answerMs.toFixed(1)} ms; ${options.coldRuns} runs)`,
      met: deployed.ratio <= 1.15,
      command: "npm run bench -- --only lambda",
    },
  ];
}
