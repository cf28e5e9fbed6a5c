/**
 * 4. Local pipeline: signed GitHub deliveries over HTTP into the local runtime
 * (`startLocalRuntime`: edge, fauxqs, dynalite, pollers, consumers) through to processed events, at
 * a few concurrency levels, against `@octokit/webhooks`' `createNodeMiddleware` on a plain Node
 * HTTP server receiving the same signed bodies. Each server runs in a child process of its own;
 * the load comes from this process over keep-alive connections. At concurrency 16 it also times a
 * burst in which every delivery arrives three times at once, against one pass of the same size.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BenchRequest, githubCorpus, ROOT } from "../lib/corpus";
import { fmt, median, msSince, percentile, rotate } from "../lib/stats";
import type { Target } from "../lib/target";

/** The concurrency the targets are judged at, and the burst's. */
export const TARGET_CONCURRENCY = 16;
/** How many times each delivery arrives in the burst. */
export const BURST_COPIES = 3;

export interface PipelineOptions {
  /** Deliveries per measured run. */
  deliveries: number;
  concurrency: number[];
  rounds: number;
  /** Write the local runtime's CPU profiles (`node --cpu-prof`, one per thread) here. */
  cpuProfileDir?: string;
  /** Time the three-copies burst (at {@link TARGET_CONCURRENCY}); by default when 16 is among `concurrency`. */
  burst?: boolean;
}

export interface PipelineFigures {
  /** Deliveries answered per second (time from the first request to the last answer). */
  acceptedPerSecond: number;
  /** Events processed per second, to the moment the last one was processed. */
  processedPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers other than the expected 2xx. */
  unexpected: number;
  /** CPU time (user + system, every thread) the server's process spent per delivery, from /proc (Linux). */
  cpuMsPerDelivery?: number;
}

export interface PipelineLevel {
  concurrency: number;
  runtime: PipelineFigures;
  octokit: PipelineFigures;
  /** Median over rounds of runtime ÷ Octokit, same round. */
  acceptedRatio: number;
  processedRatio: number;
}

/** One round of the burst: one pass, and the same number of deliveries each sent three times at once. */
export interface BurstRound {
  /** N distinct deliveries, first request → all processed, ms. */
  singleMs: number;
  /** N distinct deliveries, each as three concurrent identical requests, first request → every copy ended, ms. */
  tripledMs: number;
  /** tripledMs ÷ singleMs. */
  ratio: number;
  /** Distinct deliveries of the tripled pass that were queued (answered 202); the archive must process each once. */
  queued: number;
  /** The archive consumer's `processed` over the tripled pass (its counters are cumulative: a difference). */
  processed: number;
  /** The archive consumer's `duplicate` over the tripled pass. */
  duplicate: number;
  /** Copies of the tripled pass the edge answered with a send of the same event in flight (never queued apart). */
  joined: number;
  /** The archive consumer's `failed` over the tripled pass (a failed copy comes back and ends later). */
  failed: number;
  /** Answers other than the expected one, in both passes. */
  unexpected: number;
}

export interface BurstResult {
  concurrency: number;
  copies: number;
  /** Distinct deliveries per pass (N). */
  deliveries: number;
  /** Medians over rounds; `ratio` is the median of the per-round ratios. */
  singleMs: number;
  tripledMs: number;
  ratio: number;
  rounds: BurstRound[];
}

/** What a finished pipeline suite reports. */
export interface PipelineDone {
  status: "done";
  options: PipelineOptions;
  consumers: { name: string; enabled: boolean }[];
  /** ns per bare `await` inside the local runtime's process, measured after start-up. */
  awaitNs: number;
  levels: PipelineLevel[];
  /** Only when the burst ran. */
  burst?: BurstResult;
  /**
   * The same concurrency-16 level and burst with the consumers' batching windows as deployed
   * (`LOCAL_BATCHING_WINDOW_SECONDS=stack`: 1 s by default), for comparison: the targets are judged
   * on the local default (0).
   */
  stackWindow?: { level: PipelineFigures; burst: BurstResult };
  targets: Target[];
  notes: string[];
}

export type PipelineResult = { status: "todo"; reason: string } | PipelineDone;

export interface Host {
  url: string;
  info: Record<string, unknown>;
  child: ChildProcess;
}

/**
 * Starts one of bench/pipeline's hosts (run as `npm start` runs the runtime) and waits for its JSON line.
 *
 * @example
 * const host = await startHost("runtime-host.ts", { BENCH_DATA_DIR: dir });
 */
export function startHost(
  script: string,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<Host> {
  const launch = join(ROOT, "bench", "pipeline", "launch.cjs");
  const child = spawn(process.execPath, [...nodeArgs, launch, script], {
    cwd: ROOT,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stderr!.on("data", (chunk) => {
    err += chunk;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start in 60 s: ${err}`)), 60_000);
    child.stdout!.on("data", (chunk) => {
      out += chunk;
      const line = out.split("\n")[0];
      if (out.includes("\n") && line) {
        clearTimeout(timer);
        const info = JSON.parse(line) as { url: string } & Record<string, unknown>;
        resolve({ url: info.url, info, child });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}: ${err}`));
    });
  });
}

/** Closes a host's stdin (it drains and exits), killing it after 30 s. */
export async function stopHost(host: Host): Promise<void> {
  if (host.child.exitCode !== null) return;
  const exited = new Promise<void>((done) => host.child.once("exit", () => done()));
  host.child.stdin!.end();
  const timer = setTimeout(() => host.child.kill("SIGKILL"), 30_000);
  await exited;
  clearTimeout(timer);
}

/** A process's CPU time so far (user + system, all threads), in ms; undefined off Linux. */
function cpuMs(pid: number | undefined): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** One signed delivery; copies of a delivery share its `x-github-delivery`, hence its event id. */
function send(
  agent: Agent,
  url: string,
  r: BenchRequest,
  delivery: string,
): Promise<{ status: number; ms: number }> {
  const start = process.hrtime.bigint();
  const headers = {
    ...r.headers,
    "x-github-delivery": delivery,
    "content-length": String(r.body.length),
  };
  return new Promise((resolve, reject) => {
    const req = request(`${url}${r.path}`, { method: "POST", agent, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: msSince(start) }));
    });
    req.on("error", reject);
    req.end(r.body);
  });
}

async function getJson<T>(agent: Agent, url: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => {
        text += chunk;
      });
      res.on("end", () => resolve(JSON.parse(text) as T));
    });
    req.on("error", reject);
    req.end();
  });
}

/** The archive consumer's counters, and the edge's copies joined to a send in flight (never queued apart). */
type PassCounts = {
  processed: number;
  duplicate: number;
  filtered: number;
  failed: number;
  joined: number;
};

interface Metrics {
  joined?: number;
  consumers: Record<string, Omit<PassCounts, "joined">>;
}

interface Health {
  queues: Record<string, { ready: number; inflight: number }>;
}

const NO_COUNTS: PassCounts = { processed: 0, duplicate: 0, filtered: 0, failed: 0, joined: 0 };

/** The archive consumer's counters (it subscribes to every event) and the edge's joined copies so far; they only grow. */
async function passCounts(agent: Agent, url: string): Promise<PassCounts> {
  const metrics = await getJson<Metrics>(agent, `${url}/_/metrics`);
  return { ...NO_COUNTS, ...metrics.consumers.archive, joined: metrics.joined ?? 0 };
}

function difference(after: PassCounts, before: PassCounts): PassCounts {
  return {
    processed: after.processed - before.processed,
    duplicate: after.duplicate - before.duplicate,
    filtered: after.filtered - before.filtered,
    failed: after.failed - before.failed,
    joined: after.joined - before.joined,
  };
}

async function idle(agent: Agent, url: string, enabled: readonly string[]): Promise<boolean> {
  const health = await getJson<Health>(agent, `${url}/_/health`);
  return enabled.every((name) => {
    const q = health.queues[name];
    return !q || q.ready + q.inflight === 0;
  });
}

/**
 * Polls the runtime until `ended` holds for the archive's counters since `before` and the queues
 * are idle (or two minutes passed); returns those counters.
 */
async function waitForArchive(
  control: Agent,
  url: string,
  enabled: readonly string[],
  before: PassCounts,
  ended: (since: PassCounts) => boolean,
): Promise<PassCounts> {
  const deadline = Date.now() + 120_000;
  let since = NO_COUNTS;
  while (Date.now() < deadline) {
    since = difference(await passCounts(control, url), before);
    if (ended(since) && (await idle(control, url, enabled))) break;
    // Every 50 ms: the polling itself costs the runtime CPU (two inspector requests each time).
    await new Promise((done) => setTimeout(done, 50));
  }
  return since;
}

/** One timed pass: what was sent and answered, and when everything had ended. */
interface Pass {
  latencies: number[];
  unexpected: number;
  /** Requests answered 202 (copies included). */
  queued: number;
  /** Distinct deliveries with a copy answered 202. */
  queuedDeliveries: number;
  acceptedMs: number;
  processedMs: number;
  cpuMs?: number;
  /** The archive consumer's counters over the pass (runtime only). */
  archive: PassCounts;
}

interface PassLoad {
  host: Host;
  kind: "runtime" | "octokit";
  corpus: readonly BenchRequest[];
  deliveries: number;
  concurrency: number;
  enabled: readonly string[];
  /** Concurrent identical requests per delivery (same body, same `x-github-delivery`). */
  copies: number;
}

/** Sends the pass's deliveries, `concurrency` deliveries at a time, each as `copies` requests at once. */
async function sendAll(
  load: PassLoad,
  agent: Agent,
): Promise<Omit<Pass, "acceptedMs" | "processedMs" | "archive">> {
  const out = { latencies: [] as number[], unexpected: 0, queued: 0, queuedDeliveries: 0 };
  let next = 0;
  const worker = async () => {
    while (next < load.deliveries) {
      const r = load.corpus[next % load.corpus.length]!;
      next += 1;
      const delivery = randomUUID();
      const copies = Array.from({ length: load.copies }, () => send(agent, load.host.url, r, delivery));
      const expected = load.kind === "octokit" ? 200 : r.status;
      let queued = false;
      for (const { status, ms } of await Promise.all(copies)) {
        out.latencies.push(ms);
        if (status !== expected) out.unexpected += 1;
        if (status === 202) {
          out.queued += 1;
          queued = true;
        }
      }
      if (queued) out.queuedDeliveries += 1;
    }
  };
  await Promise.all(Array.from({ length: load.concurrency }, worker));
  return out;
}

/**
 * Times one pass. Runtime: until every request answered 202 has ended and the queues are idle:
 * joined at the edge to a copy being queued, or ended by the archive consumer — one copy:
 * processed + duplicate + failed; several: processed + duplicate (a copy that met another in
 * progress fails first and ends when it comes back).
 */
async function timedPass(load: PassLoad): Promise<Pass> {
  const { host, kind, copies } = load;
  const agent = new Agent({ keepAlive: true, maxSockets: load.concurrency * copies });
  const control = new Agent({ keepAlive: true, maxSockets: 2 });
  const before = kind === "runtime" ? await passCounts(control, host.url) : NO_COUNTS;
  const cpuBefore = cpuMs(host.child.pid);
  const start = process.hrtime.bigint();
  const sent = await sendAll(load, agent);
  const acceptedMs = msSince(start);
  let archive = NO_COUNTS;
  if (kind === "runtime") {
    const ended = (c: PassCounts) =>
      c.joined + c.processed + c.duplicate + (copies === 1 ? c.failed : 0) >= sent.queued;
    archive = await waitForArchive(control, host.url, load.enabled, before, ended);
  }
  const processedMs = kind === "runtime" ? msSince(start) : acceptedMs;
  const cpuAfter = cpuMs(host.child.pid);
  agent.destroy();
  control.destroy();
  const cpu = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
  return { ...sent, acceptedMs, processedMs, cpuMs: cpu, archive };
}

async function run(
  host: Host,
  kind: "runtime" | "octokit",
  corpus: readonly BenchRequest[],
  deliveries: number,
  concurrency: number,
  enabled: readonly string[],
): Promise<PipelineFigures> {
  const pass = await timedPass({ host, kind, corpus, deliveries, concurrency, enabled, copies: 1 });
  return {
    cpuMsPerDelivery: pass.cpuMs === undefined ? undefined : pass.cpuMs / deliveries,
    acceptedPerSecond: (deliveries * 1000) / pass.acceptedMs,
    processedPerSecond: ((kind === "runtime" ? pass.queued : deliveries) * 1000) / pass.processedMs,
    p50Ms: percentile(pass.latencies, 50),
    p99Ms: percentile(pass.latencies, 99),
    unexpected: pass.unexpected,
  };
}

/** One round of the burst: a single pass and a tripled pass of N deliveries each, in `order`. */
async function burstRound(
  load: Omit<PassLoad, "copies">,
  order: readonly ("single" | "tripled")[],
): Promise<BurstRound> {
  const passes: Partial<Record<"single" | "tripled", Pass>> = {};
  for (const which of order) {
    passes[which] = await timedPass({ ...load, copies: which === "single" ? 1 : BURST_COPIES });
  }
  const single = passes.single!;
  const tripled = passes.tripled!;
  return {
    singleMs: single.processedMs,
    tripledMs: tripled.processedMs,
    ratio: tripled.processedMs / single.processedMs,
    queued: tripled.queuedDeliveries,
    processed: tripled.archive.processed,
    duplicate: tripled.archive.duplicate,
    joined: tripled.archive.joined,
    failed: tripled.archive.failed,
    unexpected: single.unexpected + tripled.unexpected,
  };
}

/**
 * The burst at {@link TARGET_CONCURRENCY}, runtime only: per round, one pass of N distinct
 * deliveries and one of N distinct deliveries each sent {@link BURST_COPIES} times at once, order
 * rotated round by round.
 */
async function burst(
  runtime: Host,
  corpus: readonly BenchRequest[],
  options: PipelineOptions,
  enabled: readonly string[],
  log: (line: string) => void,
): Promise<BurstResult> {
  const load = { host: runtime, kind: "runtime" as const, corpus, enabled, concurrency: TARGET_CONCURRENCY };
  // Warm-up: the copies' paths (edge, batch copies, the archive's conditional put) once, untimed.
  await timedPass({ ...load, deliveries: Math.min(50, options.deliveries), copies: BURST_COPIES });
  const rounds: BurstRound[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const r = await burstRound(
      { ...load, deliveries: options.deliveries },
      rotate(["single", "tripled"], round),
    );
    rounds.push(r);
    log(
      `    burst round ${round + 1}: one pass ${r.singleMs.toFixed(0)} ms, three copies at once ${r.tripledMs.toFixed(0)} ms (${r.ratio.toFixed(2)}×); ${r.joined} copies joined at the edge; archive processed ${r.processed} of ${r.queued} queued, ${r.duplicate} duplicates, ${r.failed} failed; ${r.unexpected} unexpected answers`,
    );
  }
  return {
    concurrency: TARGET_CONCURRENCY,
    copies: BURST_COPIES,
    deliveries: options.deliveries,
    singleMs: median(rounds.map((r) => r.singleMs)),
    tripledMs: median(rounds.map((r) => r.tripledMs)),
    ratio: median(rounds.map((r) => r.ratio)),
    rounds,
  };
}

/**
 * The concurrency-16 runs and the burst again, on a runtime of its own (data directory apart)
 * started with `LOCAL_BATCHING_WINDOW_SECONDS=stack` (the deployed consumers' 1 s window): how much
 * the processed time grows when the last partial batches wait out the window, as Lambda waits it.
 */
async function withStackWindow(
  corpus: readonly BenchRequest[],
  options: PipelineOptions,
  enabled: readonly string[],
  started: Host[],
  log: (line: string) => void,
): Promise<{ level: PipelineFigures; burst: BurstResult }> {
  const dataDir = mkdtempSync(join(tmpdir(), "gateway-bench-window-"));
  const host = await startHost("runtime-host.ts", {
    BENCH_DATA_DIR: dataDir,
    LOCAL_BATCHING_WINDOW_SECONDS: "stack",
  });
  started.push(host);
  await run(host, "runtime", corpus, Math.min(100, Math.max(10, options.deliveries)), 8, enabled);
  const runs: PipelineFigures[] = [];
  for (let round = 0; round < options.rounds; round++) {
    runs.push(await run(host, "runtime", corpus, options.deliveries, TARGET_CONCURRENCY, enabled));
  }
  const level = medianFigures(runs);
  log(
    `    batching windows as deployed: concurrency ${TARGET_CONCURRENCY}: ${level.acceptedPerSecond.toFixed(0)} answered/s, ${level.processedPerSecond.toFixed(0)} processed/s`,
  );
  const result = { level, burst: await burst(host, corpus, options, enabled, log) };
  await stopHost(host);
  rmSync(dataDir, { recursive: true, force: true });
  return result;
}

/**
 * The pipeline's targets from issue 12, judged at {@link TARGET_CONCURRENCY}: none for a run
 * without that level (throughput) or without the burst. A target with unexpected answers is missed.
 *
 * @example
 * pipelineTargets({ options, levels, burst }).map((t) => t.met); // [true, true, false]
 */
export function pipelineTargets(result: Pick<PipelineDone, "options" | "levels" | "burst">): Target[] {
  const command = "npm run bench -- --only pipeline";
  const targets: Target[] = [];
  const level = result.levels.find((l) => l.concurrency === TARGET_CONCURRENCY);
  const size = `${result.options.deliveries} deliveries per run, median of ${rounds(result.options.rounds)}`;
  if (level) {
    const wrong = level.runtime.unexpected;
    const unexpected = wrong > 0 ? `; ${wrong} unexpected answers` : "";
    targets.push(
      {
        label: `local pipeline: events processed end to end at concurrency ${TARGET_CONCURRENCY} ≥ 300/s`,
        figure: `${fmt(level.runtime.processedPerSecond)}/s (${size}${unexpected})`,
        met: level.runtime.processedPerSecond >= 300 && wrong === 0,
        command,
      },
      {
        label: `local pipeline: deliveries answered at concurrency ${TARGET_CONCURRENCY} ≥ 500/s`,
        figure: `${fmt(level.runtime.acceptedPerSecond)}/s (Octokit's middleware: ${fmt(level.octokit.acceptedPerSecond)}/s; ${size}${unexpected})`,
        met: level.runtime.acceptedPerSecond >= 500 && wrong === 0,
        command,
      },
    );
  }
  if (result.burst) targets.push(burstTarget(result.burst, command));
  return targets;
}

const rounds = (n: number) => `${n} round${n === 1 ? "" : "s"}`;

function burstTarget(b: BurstResult, command: string): Target {
  const once = b.rounds.every((r) => r.processed === r.queued);
  const processed = b.rounds.map((r) => `${r.processed}/${r.queued}`).join(", ");
  const wrong = b.rounds.reduce((sum, r) => sum + r.unexpected, 0);
  return {
    label: "three copies of every delivery at once processed within 1.5× the time of one pass",
    figure: `${b.ratio.toFixed(2)}× (${fmt(b.tripledMs)} vs ${fmt(b.singleMs)} ms for ${b.deliveries} deliveries at concurrency ${b.concurrency}; archive processed/queued per round: ${processed}${once ? "" : " (not once each)"}; ${wrong} unexpected answers; ${rounds(b.rounds.length)})`,
    met: b.ratio <= 1.5 && once && wrong === 0,
    command,
  };
}

function medianFigures(list: PipelineFigures[]): PipelineFigures {
  return {
    acceptedPerSecond: median(list.map((f) => f.acceptedPerSecond)),
    processedPerSecond: median(list.map((f) => f.processedPerSecond)),
    p50Ms: median(list.map((f) => f.p50Ms)),
    p99Ms: median(list.map((f) => f.p99Ms)),
    unexpected: list.reduce((sum, f) => sum + f.unexpected, 0),
    cpuMsPerDelivery: list.every((f) => f.cpuMsPerDelivery !== undefined)
      ? median(list.map((f) => f.cpuMsPerDelivery!))
      : undefined,
  };
}

/** One concurrency level: runtime and Octokit interleaved over the rounds, medians and per-round ratios. */
async function measureLevel(
  hosts: { runtime: Host; octokit: Host },
  corpus: readonly BenchRequest[],
  options: PipelineOptions,
  concurrency: number,
  enabled: readonly string[],
): Promise<PipelineLevel> {
  const runs = { runtime: [] as PipelineFigures[], octokit: [] as PipelineFigures[] };
  for (let round = 0; round < options.rounds; round++) {
    for (const kind of rotate(["runtime", "octokit"] as const, round)) {
      runs[kind].push(await run(hosts[kind], kind, corpus, options.deliveries, concurrency, enabled));
    }
  }
  const ratio = (key: "acceptedPerSecond" | "processedPerSecond") =>
    median(runs.runtime.map((r, i) => r[key] / runs.octokit[i]![key]));
  return {
    concurrency,
    runtime: medianFigures(runs.runtime),
    octokit: medianFigures(runs.octokit),
    acceptedRatio: ratio("acceptedPerSecond"),
    processedRatio: ratio("processedPerSecond"),
  };
}

/**
 * Runs the local-pipeline comparison (and the burst when asked, or when 16 is among the levels),
 * or reports a TODO when the local runtime does not exist.
 *
 * @example
 * await pipeline({ deliveries: 600, concurrency: [1, 16, 32], rounds: 2 }, console.log);
 */
export async function pipeline(
  options: PipelineOptions,
  log: (line: string) => void,
): Promise<PipelineResult> {
  if (!existsSync(join(ROOT, "src", "local", "runtime.ts"))) {
    const reason = "src/local/runtime.ts (startLocalRuntime) does not exist yet";
    log(`    TODO: ${reason}`);
    return { status: "todo", reason };
  }
  const corpus = githubCorpus();
  const dataDir = mkdtempSync(join(tmpdir(), "gateway-bench-"));
  const started: Host[] = [];
  try {
    const profiling = options.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
    const runtime = await startHost("runtime-host.ts", { BENCH_DATA_DIR: dataDir }, profiling);
    started.push(runtime);
    const octokit = await startHost("octokit-host.ts");
    started.push(octokit);
    const consumers = (runtime.info.consumers as { name: string; enabled: boolean }[]).map((c) => ({
      name: c.name,
      enabled: c.enabled,
    }));
    const enabled = consumers.filter((c) => c.enabled).map((c) => c.name);
    log(`    local runtime at ${runtime.url}; consumers running: ${enabled.join(", ")}`);

    // Warm-up: connections, JIT, the emulators' first tables and queues.
    const warm = Math.min(100, Math.max(10, options.deliveries));
    await run(runtime, "runtime", corpus, warm, 8, enabled);
    await run(octokit, "octokit", corpus, warm, 8, enabled);

    const levels: PipelineLevel[] = [];
    for (const concurrency of options.concurrency) {
      const level = await measureLevel({ runtime, octokit }, corpus, options, concurrency, enabled);
      levels.push(level);
      log(
        `    concurrency ${String(concurrency).padStart(3)}: runtime ${level.runtime.acceptedPerSecond.toFixed(0)} answered/s, ${level.runtime.processedPerSecond.toFixed(0)} processed/s, p50 ${level.runtime.p50Ms.toFixed(1)} ms, ${level.runtime.cpuMsPerDelivery?.toFixed(1) ?? "?"} CPU ms/delivery | octokit ${level.octokit.acceptedPerSecond.toFixed(0)}/s, p50 ${level.octokit.p50Ms.toFixed(1)} ms | ratio ${level.acceptedRatio.toFixed(2)}×`,
      );
    }
    const timeBurst = options.burst ?? options.concurrency.includes(TARGET_CONCURRENCY);
    const burstResult = timeBurst ? await burst(runtime, corpus, options, enabled, log) : undefined;
    const stackWindow = timeBurst ? await withStackWindow(corpus, options, enabled, started, log) : undefined;
    return {
      status: "done",
      options,
      consumers,
      awaitNs: Number(runtime.info.awaitNs),
      levels,
      burst: burstResult,
      stackWindow,
      targets: pipelineTargets({ options, levels, burst: burstResult }),
      notes: [
        "The local runtime's per-event console lines are turned off (`log: () => undefined`) so that terminal output is not measured.",
      ],
    };
  } finally {
    for (const host of started) await stopHost(host);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
