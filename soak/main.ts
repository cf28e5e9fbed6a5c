/**
 * `npm run soak`: see soak/soak.ts. Prints the figures, writes them to soak/RESULTS.md, and exits
 * non-zero when an accepted event was lost or processed twice (or another check failed).
 *
 *   npm run soak -- --deliveries 20000 --rate 150 --seconds 900 --faults sqs,dynamodb,consumer,restart
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULTS, type FaultName, runSoak, type SoakFigures, type SoakOptions } from "./soak";

const USAGE = `usage: npm run soak -- [options]
  --deliveries N        distinct deliveries (default ${DEFAULTS.deliveries})
  --rate R              steady deliveries per second (default ${DEFAULTS.rate})
  --seconds S           upper bound of the sending phase (default ${DEFAULTS.seconds})
  --burst-every S       a burst every S seconds, 0 for none (default ${DEFAULTS.burstEverySeconds})
  --burst-size N        deliveries per burst (default ${DEFAULTS.burstSize})
  --duplicates F        share redelivered / retried by Slack (default ${DEFAULTS.duplicateShare})
  --bad F               share forged or stale (default ${DEFAULTS.badShare})
  --poison F            share a consumer fails on every time (default ${DEFAULTS.poisonShare})
  --faults LIST         of sqs,dynamodb,consumer,restart, or none (default all)
  --outage-seconds S    how long SQS and DynamoDB stay unreachable (default ${DEFAULTS.outageSeconds})
  --failure-rate F      random consumer failures while that fault runs (default ${DEFAULTS.consumerFailureRate})
  --settle-seconds S    upper bound of the final drain (default ${DEFAULTS.settleSeconds})
  --concurrency N       requests in flight at most (default ${DEFAULTS.concurrency})
  --json                print the figures as JSON
  --no-results          do not write soak/RESULTS.md`;

const FLAGS: Record<string, keyof SoakOptions> = {
  "--deliveries": "deliveries",
  "--rate": "rate",
  "--seconds": "seconds",
  "--burst-every": "burstEverySeconds",
  "--burst-size": "burstSize",
  "--duplicates": "duplicateShare",
  "--bad": "badShare",
  "--poison": "poisonShare",
  "--outage-seconds": "outageSeconds",
  "--failure-rate": "consumerFailureRate",
  "--settle-seconds": "settleSeconds",
  "--concurrency": "concurrency",
};

export function parseArgs(argv: readonly string[]): {
  options: Partial<SoakOptions>;
  json: boolean;
  results: boolean;
} {
  const options: Partial<SoakOptions> = {};
  let json = false;
  let results = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--json") json = true;
    else if (arg === "--no-results") results = false;
    else if (arg === "--help" || arg === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else if (arg === "--faults") {
      const value = argv[++i] ?? "";
      const names = value === "none" ? [] : value.split(",").filter(Boolean);
      for (const name of names)
        if (!["sqs", "dynamodb", "consumer", "restart"].includes(name))
          throw new Error(`unknown fault ${name}`);
      options.faults = names as FaultName[];
    } else if (FLAGS[arg]) {
      const value = Number(argv[++i]);
      if (!Number.isFinite(value) || value < 0) throw new Error(`${arg} needs a non-negative number`);
      (options as Record<string, number>)[FLAGS[arg]] = value;
    } else throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  return { options, json, results };
}

export function formatFigures(f: SoakFigures): string {
  const kv = (o: Record<string, number>) =>
    Object.entries(o)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ") || "none";
  const o = f.options;
  return [
    `| figure | value |`,
    `|---|---|`,
    `| options | ${o.deliveries} deliveries, ${o.rate}/s, bursts of ${o.burstSize} every ${o.burstEverySeconds} s, duplicates ${o.duplicateShare}, bad ${o.badShare}, poison ${o.poisonShare}, faults ${o.faults.join(",") || "none"} (outages ${o.outageSeconds} s, failure rate ${o.consumerFailureRate}) |`,
    `| elapsed | ${f.elapsedSeconds} s, ${f.runtimeRuns} runtime run(s) |`,
    `| sent (HTTP requests) | ${f.sent} |`,
    `| distinct deliveries | valid ${f.deliveries.valid}, poison ${f.deliveries.poison}, forged ${f.deliveries.forged}, stale ${f.deliveries.stale} |`,
    `| resent | GitHub redeliveries ${f.resends.redeliveries}, Slack retries ${f.resends.slackRetries}, after a failed attempt ${f.resends.afterFailure} |`,
    `| accepted (2xx) | ${f.accepted.responses} responses, ${f.accepted.events} distinct events |`,
    `| not accepted (resent later) | ${kv(f.notAccepted)} |`,
    `| rejected (401) by reason | ${kv(f.rejected)} |`,
    `| processed (✓ lines) | ${kv(f.processed)} |`,
    `| duplicates skipped | ${kv(f.duplicatesSkipped)} |`,
    `| consumer failures (✗ lines) | ${kv(f.consumerFailures)} |`,
    `| injected | random consumer failures ${f.injected.randomFailures}, poison failures ${f.injected.poisonFailures}, SQS outages ${f.injected.sqsOutages}, DynamoDB outages ${f.injected.dynamodbOutages}, Ctrl-C + restart ${f.injected.restarts} (${f.injected.restoredMessages} queued messages restored) |`,
    `| dead-lettered | ${f.deadLettered.poisonEvents} poison events (${f.deadLettered.intact} intact), ${f.deadLettered.messages} messages: ${kv(f.deadLettered.byQueue)} |`,
    `| never accepted / unexpected answers | ${f.neverAccepted} / ${f.unexpectedAnswers} |`,
    `| rejected but archived / phantoms | ${f.rejectedArchived} / ${f.phantoms} |`,
    `| **lost** | **${f.lost}** |`,
    `| **doubled** | **${f.doubled}** |`,
  ].join("\n");
}

export function verdict(f: SoakFigures): boolean {
  return (
    f.lost === 0 &&
    f.doubled === 0 &&
    f.rejectedArchived === 0 &&
    f.phantoms === 0 &&
    f.neverAccepted === 0 &&
    f.unexpectedAnswers === 0 &&
    f.problems.length === 0
  );
}

export async function main(): Promise<void> {
  const root = join(__dirname, "..", "..");
  const { options, json, results } = parseArgs(process.argv.slice(2));
  const command = `npm run soak${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`;
  const figures = await runSoak({ ...options, root, log: json ? undefined : (line) => console.log(line) });
  const table = formatFigures(figures);
  const ok = verdict(figures);
  if (json) console.log(JSON.stringify(figures, null, 2));
  else {
    console.log(`\n${table}\n`);
    for (const problem of figures.problems.slice(0, 50)) console.log(`  ! ${problem}`);
    if (figures.problems.length > 50) console.log(`  … ${figures.problems.length - 50} more`);
    console.log(ok ? "PASS: nothing lost, nothing doubled" : "FAIL");
  }
  if (results)
    writeFileSync(
      join(root, "soak", "RESULTS.md"),
      [
        "# Soak results",
        "",
        `The last full run of \`${command}\`, ${new Date().toISOString()}, Node ${process.version}.`,
        "",
        table,
        "",
        figures.problems.length
          ? `Problems:\n\n${figures.problems
              .slice(0, 100)
              .map((p) => `- ${p}`)
              .join("\n")}\n`
          : "No problems.",
        "",
        `Verdict: ${ok ? "PASS" : "FAIL"}`,
        "",
      ].join("\n"),
    );
  process.exit(ok ? 0 : 1);
}
