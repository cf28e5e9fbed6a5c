/**
 * Side-by-side measurement: every contender runs in the same process, in the same round, one
 * after the other, the order rotated each round; the figure is the median over rounds. On a
 * shared machine the absolute numbers drift, the ratios within a round much less.
 */

import type { Contender, Prepared } from "./contenders";
import type { BenchRequest } from "./corpus";
import { median, msSince, rotate } from "./stats";

export interface RoundOptions {
  /** Time each contender runs before measuring, in ms. */
  warmupMs: number;
  /** Target duration of one contender's turn in a round, in ms. */
  roundMs: number;
  rounds: number;
}

export interface ContenderResult {
  name: string;
  description: string;
  /** Median over rounds. */
  eventsPerSecond: number;
  /** Events per second of each round, in round order. */
  perRound: number[];
  /** Median over rounds of this contender's events/s divided by the reference's in the same round. */
  ratioToReference: number;
  /** Problems found by the untimed check pass (wrong status, exceptions); empty when all is well. */
  problems: string[];
}

async function timePasses(prepared: Prepared, passes: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let p = 0; p < passes; p++) await prepared.run();
  return msSince(start);
}

/**
 * Measures contenders over a corpus, interleaved. `corpusForRound` is called before each round
 * (outside any timing) so that time-sensitive signatures stay fresh. Ratios are per round against
 * `contenders[referenceIndex]`, then the median is taken.
 *
 * @example
 * const results = await compare([edge(), floor()], () => corpus, { warmupMs: 500, roundMs: 300, rounds: 9 });
 */
export async function compare(
  contenders: readonly Contender[],
  corpusForRound: () => readonly BenchRequest[],
  options: RoundOptions,
  referenceIndex = 1,
): Promise<ContenderResult[]> {
  const warmCorpus = corpusForRound();
  const problems: string[][] = [];
  const passes: number[] = [];
  for (const contender of contenders) {
    const prepared = contender.prepare(warmCorpus);
    problems.push(await prepared.check());
    // Warm up, then calibrate the number of passes that fills one round.
    const started = process.hrtime.bigint();
    let count = 0;
    while (msSince(started) < options.warmupMs || count < 2) {
      await prepared.run();
      count += 1;
    }
    const perPass = (await timePasses(prepared, Math.max(1, Math.ceil(count / 4)))) / Math.ceil(count / 4);
    passes.push(Math.max(1, Math.round(options.roundMs / Math.max(perPass, 1e-3))));
  }

  const perRound: number[][] = contenders.map(() => []);
  for (let round = 0; round < options.rounds; round++) {
    const corpus = corpusForRound();
    const prepared = contenders.map((c) => c.prepare(corpus));
    const order = rotate(
      contenders.map((_, i) => i),
      round,
    );
    for (const i of order) {
      const ms = await timePasses(prepared[i]!, passes[i]!);
      perRound[i]!.push((passes[i]! * corpus.length * 1000) / ms);
    }
  }

  return contenders.map((contender, i) => ({
    name: contender.name,
    description: contender.description,
    eventsPerSecond: median(perRound[i]!),
    perRound: perRound[i]!,
    ratioToReference: median(perRound[i]!.map((eps, round) => eps / perRound[referenceIndex]![round]!)),
    problems: problems[i]!,
  }));
}

/**
 * Median over rounds of a / b, from two contenders' per-round figures.
 *
 * @example
 * roundRatio(edge, octokit) // 2.4: the edge handled 2.4× as many events per second
 */
export function roundRatio(a: ContenderResult, b: ContenderResult): number {
  return median(a.perRound.map((value, round) => value / b.perRound[round]!));
}
