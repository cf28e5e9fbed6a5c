/**
 * The local pipeline's targets (issue 12) as the suite judges them and the report shows them:
 * built from fake results, no timing involved.
 */
import type { Machine } from "../../../bench/lib/machine";
import { allTargets, renderMarkdown } from "../../../bench/report/markdown";
import type { BenchResults } from "../../../bench/report/types";
import {
  type BurstResult,
  type BurstRound,
  type PipelineDone,
  type PipelineFigures,
  type PipelineLevel,
  pipelineTargets,
} from "../../../bench/suites/pipeline";

const COMMAND = "npm run bench -- --only pipeline";

function figures(overrides: Partial<PipelineFigures> = {}): PipelineFigures {
  return {
    acceptedPerSecond: 800,
    processedPerSecond: 400,
    p50Ms: 12,
    p99Ms: 30,
    unexpected: 0,
    cpuMsPerDelivery: 2.5,
    ...overrides,
  };
}

function level(concurrency: number, runtime: Partial<PipelineFigures> = {}): PipelineLevel {
  return {
    concurrency,
    runtime: figures(runtime),
    octokit: figures({ acceptedPerSecond: 2000, processedPerSecond: 2000, cpuMsPerDelivery: 0.4 }),
    acceptedRatio: 0.4,
    processedRatio: 0.2,
  };
}

function round(overrides: Partial<BurstRound> = {}): BurstRound {
  return {
    singleMs: 2000,
    tripledMs: 2600,
    ratio: 1.3,
    queued: 592,
    processed: 592,
    duplicate: 4,
    joined: 1180,
    failed: 0,
    unexpected: 0,
    ...overrides,
  };
}

function burst(rounds: BurstRound[], ratio = 1.3): BurstResult {
  return { concurrency: 16, copies: 3, deliveries: 600, singleMs: 2000, tripledMs: 2600, ratio, rounds };
}

const options = { deliveries: 600, concurrency: [1, 16, 32], rounds: 2 };

const PROCESSED = "local pipeline: events processed end to end at concurrency 16 ≥ 300/s";
const ANSWERED = "local pipeline: deliveries answered at concurrency 16 ≥ 500/s";
const BURST = "three copies of every delivery at once processed within 1.5× the time of one pass";

describe("pipelineTargets", () => {
  test("judges the level at concurrency 16 and the burst, each with its figure and command", () => {
    const targets = pipelineTargets({
      options,
      levels: [level(1, { processedPerSecond: 50 }), level(16), level(32, { acceptedPerSecond: 100 })],
      burst: burst([round(), round()]),
    });
    expect(targets).toEqual([
      {
        label: PROCESSED,
        figure: "400/s (600 deliveries per run, median of 2 rounds)",
        met: true,
        command: COMMAND,
      },
      {
        label: ANSWERED,
        figure: "800/s (Octokit's middleware: 2,000/s; 600 deliveries per run, median of 2 rounds)",
        met: true,
        command: COMMAND,
      },
      {
        label: BURST,
        figure:
          "1.30× (2,600 vs 2,000 ms for 600 deliveries at concurrency 16; archive processed/queued per round: 592/592, 592/592; 0 unexpected answers; 2 rounds)",
        met: true,
        command: COMMAND,
      },
    ]);
  });

  test("misses each target below its bar", () => {
    const targets = pipelineTargets({
      options,
      levels: [level(16, { processedPerSecond: 299, acceptedPerSecond: 499 })],
      burst: burst([round({ ratio: 1.6 })], 1.6),
    });
    expect(targets.map((t) => [t.label, t.met])).toEqual([
      [PROCESSED, false],
      [ANSWERED, false],
      [BURST, false],
    ]);
  });

  test("meets the bars when the figures are exactly on them", () => {
    const targets = pipelineTargets({
      options,
      levels: [level(16, { processedPerSecond: 300, acceptedPerSecond: 500 })],
      burst: burst([round({ ratio: 1.5 })], 1.5),
    });
    expect(targets.map((t) => t.met)).toEqual([true, true, true]);
  });

  test("gives no throughput target without a level at concurrency 16", () => {
    const targets = pipelineTargets({ options, levels: [level(8), level(32)], burst: undefined });
    expect(targets).toEqual([]);
  });

  test("gives the burst target alone when the burst ran without a level at 16", () => {
    const targets = pipelineTargets({ options, levels: [level(8)], burst: burst([round()]) });
    expect(targets.map((t) => t.label)).toEqual([BURST]);
  });

  test("misses the burst when a delivery was not processed exactly once, even when fast", () => {
    const [target] = pipelineTargets({
      options,
      levels: [],
      burst: burst([round(), round({ processed: 591 })], 1.1),
    });
    expect(target!.met).toBe(false);
    expect(target!.figure).toContain("592/592, 591/592 (not once each)");
  });

  test("misses a target with unexpected answers and says how many", () => {
    const targets = pipelineTargets({
      options,
      levels: [level(16, { unexpected: 3 })],
      burst: burst([round({ unexpected: 2 }), round({ unexpected: 1 })]),
    });
    expect(targets.map((t) => t.met)).toEqual([false, false, false]);
    expect(targets[0]!.figure).toBe(
      "400/s (600 deliveries per run, median of 2 rounds; 3 unexpected answers)",
    );
    expect(targets[2]!.figure).toContain("; 3 unexpected answers;");
  });
});

const MACHINE: Machine = {
  cpu: "Test CPU",
  cores: 2,
  memoryBytes: 2 ** 30,
  node: "v22.0.0",
  os: "Linux test",
  date: "2025-01-01T00:00:00.000Z",
  loadAverageStart: [1, 1, 1],
  commit: "abc1234",
  dirty: false,
};

function results(pipeline: BenchResults["pipeline"]): BenchResults {
  return { mode: "full", suites: ["pipeline"], machine: MACHINE, durationSeconds: 60, pipeline };
}

function done(levels: PipelineLevel[], burstResult?: BurstResult): PipelineDone {
  return {
    status: "done",
    options,
    consumers: [
      { name: "archive", enabled: true },
      { name: "slack", enabled: false },
    ],
    awaitNs: 40,
    levels,
    burst: burstResult,
    targets: pipelineTargets({ options, levels, burst: burstResult }),
    notes: [],
  };
}

describe("the report's pipeline targets", () => {
  test("allTargets lists the pipeline's targets under Local pipeline", () => {
    const listed = allTargets(results(done([level(16)], burst([round()]))));
    expect(listed.map((t) => [t.section, t.target.label])).toEqual([
      ["Local pipeline", PROCESSED],
      ["Local pipeline", ANSWERED],
      ["Local pipeline", BURST],
    ]);
  });

  test("allTargets lists none for a TODO pipeline or a run without level 16 or burst", () => {
    expect(allTargets(results({ status: "todo", reason: "no runtime" }))).toEqual([]);
    expect(allTargets(results(done([level(8)])))).toEqual([]);
  });

  test("section 4 shows the CPU column, the burst rounds and the verdicts; the Targets table the rows", () => {
    const markdown = renderMarkdown(results(done([level(16)], burst([round()]))));
    const section = markdown.slice(
      markdown.indexOf("## 4. Local pipeline"),
      markdown.indexOf("## Reproduce"),
    );
    expect(section).toContain("| runtime CPU ms per delivery |");
    expect(section).toContain("| 16 | 800 | 400 | 12.0 / 30.0 | 2.5 | 2,000 |");
    expect(section).toContain("| 1 | 2,000 | 2,600 | 1.30× | 1180 | 592 / 592 | 4 | 0 |");
    expect(section).toContain("`src/local/batching-queue.ts`");
    expect(section).toContain("`src/local/consumer-thread.ts`");
    expect(section).toContain(`- ${PROCESSED}: 400/s (600 deliveries per run, median of 2 rounds) — **MET**`);
    expect(section).toContain(`- ${BURST}: 1.30× (`);
    const targetsTable = markdown.slice(markdown.indexOf("## Targets"), markdown.indexOf("## 4."));
    expect(targetsTable).toContain(
      `| Local pipeline | ${ANSWERED} | 800/s (Octokit's middleware: 2,000/s; 600 deliveries per run, median of 2 rounds) | **MET** | \`${COMMAND}\` |`,
    );
  });

  test("section 4 compares with the deployed batching window, beside the default's figures, unjudged", () => {
    const result = done([level(16, { processedPerSecond: 410, acceptedPerSecond: 650 })], burst([round()]));
    result.stackWindow = {
      level: figures({ processedPerSecond: 270, acceptedPerSecond: 700 }),
      burst: { ...burst([round()], 1.1), singleMs: 2300, tripledMs: 2530 },
    };
    const markdown = renderMarkdown(results(result));
    expect(markdown).toContain(
      "- For comparison, not judged: the same runs on a runtime started with `LOCAL_BATCHING_WINDOW_SECONDS=stack` (the deployed consumers' 1 s batching window, which the last partial batches of a run wait out): 270 processed/s and 700 answered/s at concurrency 16 (with the local default of 0: 410 and 650); three copies at once 1.10× one pass (2,530 vs 2,300 ms; with 0, 1.30×, 2,600 vs 2,000 ms).",
    );
    expect(allTargets(results(result))).toHaveLength(3);
    expect(renderMarkdown(results(done([level(16)], burst([round()]))))).not.toContain("For comparison");
  });

  test("section 4 without the burst has no burst table and no verdicts", () => {
    const markdown = renderMarkdown(results(done([level(8)])));
    expect(markdown).not.toContain("burst round");
    expect(markdown).not.toContain("**MET**");
    expect(markdown).not.toContain("**MISSED**");
  });
});
