/**
 * Where the edge's time goes: the ladder of `bench/lib/ladder.ts` (floor, then one stage of the
 * edge added per rung, with the edge's own functions) measured side by side on several corpora.
 */
import { type BenchRequest, githubCorpus, medianBodyBytes, signSlack, slackFixtures } from "../lib/corpus";
import { ladder } from "../lib/ladder";
import { type PrimitiveCost, primitives } from "../lib/primitives";
import { compare, type RoundOptions } from "../lib/rounds";
import { median } from "../lib/stats";
import { syntheticCorpus } from "../lib/synthetic";

export interface Rung {
  name: string;
  description: string;
  /** Median µs per event. */
  us: number;
  /** Median over rounds of (this rung's µs − the rung above's µs) in the same round; 0 for the floor. */
  stepUs: number;
  /** Median over rounds of this rung's events/s over the floor's. */
  ratioToFloor: number;
}

export interface BreakdownCorpus {
  title: string;
  rungs: Rung[];
}

export interface BreakdownResult {
  options: RoundOptions;
  corpora: BreakdownCorpus[];
  primitives: PrimitiveCost[];
}

/**
 * Runs the ladder over the GitHub examples, the Slack fixtures and (with `largePayloads`) 100 KiB
 * synthetic pushes.
 *
 * @example
 * const result = await breakdown({ warmupMs: 300, roundMs: 60, rounds: 25, largePayloads: true }, console.log);
 */
export async function breakdown(
  options: RoundOptions & { largePayloads: boolean },
  log: (line: string) => void,
): Promise<BreakdownResult> {
  const github = githubCorpus();
  const slack = slackFixtures();
  const corpora: { title: string; corpus: () => readonly BenchRequest[] }[] = [
    {
      title: `GitHub examples (${github.length}, median ${(medianBodyBytes(github) / 1024).toFixed(1)} KiB)`,
      corpus: () => github,
    },
    { title: `Slack fixtures (${slack.length})`, corpus: () => signSlack(slack, Date.now()) },
  ];
  if (options.largePayloads) {
    const ascii = syntheticCorpus(100 * 1024, 4, false);
    const utf8 = syntheticCorpus(100 * 1024, 4, true);
    corpora.push(
      { title: "100 KiB push, ASCII only", corpus: () => ascii },
      { title: '100 KiB push, one "é" per commit message', corpus: () => utf8 },
    );
  }
  const out: BreakdownCorpus[] = [];
  for (const { title, corpus } of corpora) {
    const results = await compare(ladder(), corpus, options, 0);
    const perRoundUs = results.map((r) => r.perRound.map((eps) => 1e6 / eps));
    const rungs = results.map((r, i) => ({
      name: r.name,
      description: r.description,
      us: 1e6 / r.eventsPerSecond,
      stepUs: i === 0 ? 0 : median(perRoundUs[i]!.map((value, round) => value - perRoundUs[i - 1]![round]!)),
      ratioToFloor: r.ratioToReference,
    }));
    log(`  ${title}`);
    for (const rung of rungs) {
      log(
        `    ${rung.name.padEnd(30)} ${rung.us.toFixed(2).padStart(9)} µs  ${rung.ratioToFloor.toFixed(2)}× floor ev/s`,
      );
    }
    out.push({ title, rungs });
  }
  const costs = primitives(options.rounds, options.roundMs >= 100 ? 20_000 : 2_000);
  log("  primitives");
  for (const p of costs) log(`    ${p.name.padEnd(52)} ${(p.ns / 1000).toFixed(2).padStart(9)} µs`);
  return { options, corpora: out, primitives: costs };
}
