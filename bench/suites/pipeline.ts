/**
 * 4. Local pipeline: signed GitHub deliveries over HTTP into the local runtime
 * (`startLocalRuntime`: edge, fauxqs, dynalite, pollers, consumers) through to processed events, at
 * a few concurrency levels, against `@octokit/webhooks`' `createNodeMiddleware` on a plain Node
 * HTTP server receiving the same signed bodies. Each server runs in a child process of its own;
 * the load comes from this process over keep-alive connections.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BenchRequest, githubCorpus, ROOT } from "../lib/corpus";
import { median, msSince, percentile, rotate } from "../lib/stats";

export interface PipelineOptions {
  /** Deliveries per measured run. */
  deliveries: number;
  concurrency: number[];
  rounds: number;
  /** Write the local runtime's CPU profiles (`node --cpu-prof`, one per thread) here. */
  cpuProfileDir?: string;
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

export type PipelineResult =
  | { status: "todo"; reason: string }
  | {
      status: "done";
      options: PipelineOptions;
      consumers: { name: string; enabled: boolean }[];
      /** ns per bare `await` inside the local runtime's process, measured after start-up. */
      awaitNs: number;
      levels: PipelineLevel[];
      notes: string[];
    };

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

function send(agent: Agent, url: string, r: BenchRequest): Promise<{ status: number; ms: number }> {
  const start = process.hrtime.bigint();
  const headers = {
    ...r.headers,
    "x-github-delivery": randomUUID(),
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

interface Metrics {
  consumers: Record<string, { processed: number; duplicate: number; filtered: number; failed: number }>;
}

interface Health {
  queues: Record<string, { ready: number; inflight: number }>;
}

/** Records that reached their end in the archive consumer (it subscribes to every event). */
async function archived(agent: Agent, url: string): Promise<number> {
  const metrics = await getJson<Metrics>(agent, `${url}/_/metrics`);
  const archive = metrics.consumers.archive;
  return archive ? archive.processed + archive.duplicate + archive.failed : 0;
}

async function idle(agent: Agent, url: string, enabled: readonly string[]): Promise<boolean> {
  const health = await getJson<Health>(agent, `${url}/_/health`);
  return enabled.every((name) => {
    const q = health.queues[name];
    return !q || q.ready + q.inflight === 0;
  });
}

async function run(
  host: Host,
  kind: "runtime" | "octokit",
  corpus: readonly BenchRequest[],
  deliveries: number,
  concurrency: number,
  enabled: readonly string[],
): Promise<PipelineFigures> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const control = new Agent({ keepAlive: true, maxSockets: 2 });
  const before = kind === "runtime" ? await archived(control, host.url) : 0;
  const latencies: number[] = [];
  let unexpected = 0;
  let queued = 0;
  let next = 0;
  const cpuBefore = cpuMs(host.child.pid);
  const start = process.hrtime.bigint();
  const worker = async () => {
    while (next < deliveries) {
      const r = corpus[next % corpus.length]!;
      next += 1;
      const { status, ms } = await send(agent, host.url, r);
      latencies.push(ms);
      const expected = kind === "octokit" ? 200 : r.status;
      if (status !== expected) unexpected += 1;
      if (status === 202) queued += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const acceptedMs = msSince(start);
  let processedMs = acceptedMs;
  if (kind === "runtime") {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if ((await archived(control, host.url)) - before >= queued && (await idle(control, host.url, enabled)))
        break;
      // Every 50 ms: the polling itself costs the runtime CPU (two inspector requests each time).
      await new Promise((done) => setTimeout(done, 50));
    }
    processedMs = msSince(start);
  }
  const cpuAfter = cpuMs(host.child.pid);
  agent.destroy();
  control.destroy();
  return {
    cpuMsPerDelivery:
      cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / deliveries,
    acceptedPerSecond: (deliveries * 1000) / acceptedMs,
    processedPerSecond: ((kind === "runtime" ? queued : deliveries) * 1000) / processedMs,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    unexpected,
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

/**
 * Runs the local-pipeline comparison, or reports a TODO when the local runtime does not exist.
 *
 * @example
 * await pipeline({ deliveries: 658, concurrency: [1, 8, 32], rounds: 3 }, console.log);
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
  const hosts: Host[] = [];
  try {
    const profiling = options.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
    const runtime = await startHost("runtime-host.ts", { BENCH_DATA_DIR: dataDir }, profiling);
    hosts.push(runtime);
    const octokit = await startHost("octokit-host.ts");
    hosts.push(octokit);
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
      const runs = { runtime: [] as PipelineFigures[], octokit: [] as PipelineFigures[] };
      for (let round = 0; round < options.rounds; round++) {
        for (const kind of rotate(["runtime", "octokit"] as const, round)) {
          const host = kind === "runtime" ? runtime : octokit;
          runs[kind].push(await run(host, kind, corpus, options.deliveries, concurrency, enabled));
        }
      }
      const ratio = (key: "acceptedPerSecond" | "processedPerSecond") =>
        median(runs.runtime.map((r, i) => r[key] / runs.octokit[i]![key]));
      const level: PipelineLevel = {
        concurrency,
        runtime: medianFigures(runs.runtime),
        octokit: medianFigures(runs.octokit),
        acceptedRatio: ratio("acceptedPerSecond"),
        processedRatio: ratio("processedPerSecond"),
      };
      levels.push(level);
      log(
        `    concurrency ${String(concurrency).padStart(3)}: runtime ${level.runtime.acceptedPerSecond.toFixed(0)} answered/s, ${level.runtime.processedPerSecond.toFixed(0)} processed/s, p50 ${level.runtime.p50Ms.toFixed(1)} ms, ${level.runtime.cpuMsPerDelivery?.toFixed(1) ?? "?"} CPU ms/delivery | octokit ${level.octokit.acceptedPerSecond.toFixed(0)}/s, p50 ${level.octokit.p50Ms.toFixed(1)} ms | ratio ${level.acceptedRatio.toFixed(2)}×`,
      );
    }
    return {
      status: "done",
      options,
      consumers,
      awaitNs: Number(runtime.info.awaitNs),
      levels,
      notes: [
        "The local runtime's per-event console lines are turned off (`log: () => undefined`) so that terminal output is not measured.",
      ],
    };
  } finally {
    for (const host of hosts) await stopHost(host);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
