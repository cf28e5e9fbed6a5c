/**
 * 1d. With tracing on: the edge loads the Powertools Tracer (in Lambda, unless
 * `POWERTOOLS_TRACE_ENABLED=false`), which loads the X-Ray SDK, whose `cls-hooked` turns on an
 * `async_hooks` hook for the whole process. The in-process benchmark drives `createIngestApp`
 * without it; here the same edge core runs in fresh child processes with and without the Tracer
 * loaded, interleaved.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../lib/corpus";
import { median, rotate } from "../lib/stats";

export interface TracerCorpus {
  corpus: "github" | "slack";
  plainEventsPerSecond: number;
  tracerEventsPerSecond: number;
  /** Median over rounds of tracer ÷ plain events/s. */
  ratio: number;
  plainAwaitNs: number;
  tracerAwaitNs: number;
}

export interface TracerResult {
  rounds: number;
  runMs: number;
  corpora: TracerCorpus[];
}

interface Sample {
  eventsPerSecond: number;
  awaitNs: number;
}

function runOnce(mode: "plain" | "tracer", corpus: string, ms: number): Sample {
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", join(ROOT, "bench", "tracer-target.ts"), mode, corpus, String(ms)],
    {
      cwd: ROOT,
      encoding: "utf8",
      env: {
        ...process.env,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        POWERTOOLS_TRACE_ENABLED: "false",
      },
    },
  );
  if (result.status !== 0) throw new Error(`tracer-target failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").at(-1)!) as Sample;
}

/**
 * Measures the edge core with and without the Tracer loaded, in child processes.
 *
 * @example
 * const result = tracerEffect({ rounds: 5, runMs: 1000 }, console.log);
 */
export function tracerEffect(
  options: { rounds: number; runMs: number; corpora: readonly ("github" | "slack")[] },
  log: (line: string) => void,
): TracerResult {
  const corpora: TracerCorpus[] = [];
  for (const corpus of options.corpora) {
    const samples = { plain: [] as Sample[], tracer: [] as Sample[] };
    for (let round = 0; round < options.rounds; round++) {
      for (const mode of rotate(["plain", "tracer"] as const, round)) {
        samples[mode].push(runOnce(mode, corpus, options.runMs));
      }
    }
    const figures: TracerCorpus = {
      corpus,
      plainEventsPerSecond: median(samples.plain.map((s) => s.eventsPerSecond)),
      tracerEventsPerSecond: median(samples.tracer.map((s) => s.eventsPerSecond)),
      ratio: median(samples.tracer.map((s, i) => s.eventsPerSecond / samples.plain[i]!.eventsPerSecond)),
      plainAwaitNs: median(samples.plain.map((s) => s.awaitNs)),
      tracerAwaitNs: median(samples.tracer.map((s) => s.awaitNs)),
    };
    corpora.push(figures);
    log(
      `    ${corpus.padEnd(7)} edge core ${figures.plainEventsPerSecond.toFixed(0)} ev/s; with the Tracer loaded ${figures.tracerEventsPerSecond.toFixed(0)} ev/s (${figures.ratio.toFixed(2)}×); one await ${figures.plainAwaitNs.toFixed(0)} → ${figures.tracerAwaitNs.toFixed(0)} ns`,
    );
  }
  return { rounds: options.rounds, runMs: options.runMs, corpora };
}
