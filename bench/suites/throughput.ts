/**
 * 1. Edge throughput, one core, in-process: the edge core against the floor (HMAC + JSON.parse)
 * and against the libraries a team would otherwise put at the edge (`@octokit/webhooks` for
 * GitHub, Bolt's `AwsLambdaReceiver` for Slack), over the same pre-signed bodies.
 */

import { bolt, type Contender, edge, floor, floorDecode, guardConnections, octokit } from "../lib/contenders";
import { type BenchRequest, githubCorpus, medianBodyBytes, signSlack, slackFixtures } from "../lib/corpus";
import { type ContenderResult, compare, type RoundOptions, roundRatio } from "../lib/rounds";
import type { Target } from "../lib/target";

export interface CorpusResult {
  corpus: "github" | "slack";
  title: string;
  events: number;
  medianBodyBytes: number;
  contenders: ContenderResult[];
  targets: Target[];
  notes: string[];
}

export interface ThroughputResult {
  options: RoundOptions;
  corpora: CorpusResult[];
}

function targetsFor(results: ContenderResult[], peerName: string): Target[] {
  const byName = (name: string) => results.find((r) => r.name === name)!;
  const edgeResult = byName("edge");
  const peer = byName(peerName);
  const vsFloor = edgeResult.ratioToReference;
  const vsPeer = roundRatio(edgeResult, peer);
  return [
    {
      label: "edge ≥ 0.8× the floor's events/s",
      figure: `${vsFloor.toFixed(2)}× the floor`,
      met: vsFloor >= 0.8,
    },
    {
      label: `edge ahead of ${peerName}`,
      figure: `${vsPeer.toFixed(2)}× ${peerName}`,
      met: vsPeer > 1,
    },
  ];
}

async function run(
  corpus: "github" | "slack",
  title: string,
  contenders: Contender[],
  corpusForRound: () => readonly BenchRequest[],
  peerName: string,
  options: RoundOptions,
  log: (line: string) => void,
): Promise<CorpusResult> {
  const sample = corpusForRound();
  log(`  ${title}: ${sample.length} bodies, median ${medianBodyBytes(sample)} B`);
  const results = await compare(contenders, corpusForRound, options, 1);
  for (const r of results) {
    log(
      `    ${r.name.padEnd(24)} ${Math.round(r.eventsPerSecond).toString().padStart(8)} ev/s  ${r.ratioToReference.toFixed(2)}× floor${r.problems.length ? `  (${r.problems.length} problems)` : ""}`,
    );
  }
  return {
    corpus,
    title,
    events: sample.length,
    medianBodyBytes: medianBodyBytes(sample),
    contenders: results,
    targets: targetsFor(results, peerName),
    notes: [],
  };
}

/**
 * Runs the GitHub and the Slack comparison.
 *
 * @example
 * const result = await throughput({ warmupMs: 1000, roundMs: 400, rounds: 11 }, console.log);
 */
export async function throughput(
  options: RoundOptions,
  log: (line: string) => void,
): Promise<ThroughputResult> {
  const github = githubCorpus();
  const githubResult = await run(
    "github",
    "GitHub: the 329 @octokit/webhooks-examples payloads",
    [edge(), floor(), floorDecode(), await octokit()],
    () => github,
    "@octokit/webhooks",
    options,
    log,
  );

  const fixtures = slackFixtures();
  const connections = guardConnections();
  const boltContender = bolt();
  const slackResult = await run(
    "slack",
    `Slack: the ${fixtures.length} fixtures of fixtures/slack (events, commands, interactions, handshakes)`,
    [edge(), floor(), floorDecode(), boltContender],
    // Re-signed before every round with the current time: Bolt checks timestamps against the real clock.
    () => signSlack(fixtures, Date.now()),
    "Bolt AwsLambdaReceiver",
    options,
    log,
  );
  const attempts = connections();
  slackResult.notes.push(
    `Bolt's Web API client pointed at a closed local port; outgoing TCP connection attempts during the Slack runs: ${attempts}. Bolt listeners ran ${boltContender.listened()} times.`,
  );
  if (attempts > 0) log(`  WARNING: ${attempts} outgoing connection attempts during the Slack runs`);
  return { options, corpora: [githubResult, slackResult] };
}
