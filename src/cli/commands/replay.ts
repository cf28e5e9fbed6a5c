import { parseArgs } from "node:util";
import { ENV } from "../../contract/environment";
import { exampleFixtures } from "../../fixtures/examples";
import { loadFixtures } from "../../fixtures/load";
import { DEV_GITHUB_SECRET, DEV_SLACK_SECRET, resolveSecret } from "../../local/dev-secrets";
import { readEnvFile } from "../../shared/env-file";
import { UsageError } from "../errors";
import { freshIds, reprocessRunId } from "../ops/reprocess";
import { progressBar } from "../progress";
import { replay } from "../replay";

export const REPLAY_HELP = `Usage: webhook-gateway replay [paths...] [options]

Signs recorded deliveries (fixture files or folders) and sends them to a gateway, then prints
a summary of statuses and latency. Exits 1 if any status differs from the fixture's expectation.

Options:
  --examples          also send the ${"@octokit/webhooks-examples"} corpus (329 GitHub payloads)
  --url <url>         gateway base URL (default: http://127.0.0.1:$PORT or :3000)
  --concurrency <n>   requests in flight (default 8)
  --repeat <n>        send each delivery n times, same delivery id (default 1)
  --every <n>         keep only every n-th delivery (e.g. 3 replays a third)
  --fresh-ids         give each delivery ids of a new run (GitHub delivery guid, Slack event_id or
                      trigger_id) so consumers run it again; repeats within the run stay duplicates
  --json              print the summary as JSON
  -h, --help          this help

Secrets: GITHUB_WEBHOOK_SECRET and SLACK_SIGNING_SECRET from the environment or .env (the first
of a comma-separated list signs); without them, the local runtime's development defaults.`;

/** `webhook-gateway replay`: returns the process exit code. */
export async function replayCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      examples: { type: "boolean", default: false },
      url: { type: "string" },
      concurrency: { type: "string", default: "8" },
      repeat: { type: "string", default: "1" },
      every: { type: "string", default: "1" },
      "fresh-ids": { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(REPLAY_HELP);
    return 0;
  }
  const number = (name: string, value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new UsageError(`--${name} must be a positive integer, got "${value}"`);
    return n;
  };
  const every = number("every", values.every);
  const paths = positionals.length === 0 && !values.examples ? ["fixtures"] : positionals;
  const run = values["fresh-ids"] ? reprocessRunId() : undefined;
  const fixtures = [...loadFixtures(paths), ...(values.examples ? exampleFixtures() : [])]
    .filter((_, i) => i % every === 0)
    .map((fixture) => (run ? freshIds(fixture, run) : fixture));
  if (fixtures.length === 0) throw new UsageError("no fixtures found");
  const file = readEnvFile(".env");
  const secrets = {
    github: resolveSecret(ENV.githubWebhookSecret, process.env, file, DEV_GITHUB_SECRET).values[0],
    slack: resolveSecret(ENV.slackSigningSecret, process.env, file, DEV_SLACK_SECRET).values[0],
  };
  const url = values.url ?? `http://127.0.0.1:${process.env.PORT ?? file.PORT ?? 3000}`;
  const bar = progressBar(process.stderr);
  const summary = await replay({
    url,
    fixtures,
    secrets,
    concurrency: number("concurrency", values.concurrency),
    repeat: number("repeat", values.repeat),
    onResult: (_result, done, total) => bar.update(done, total),
  });
  bar.done();
  if (values.json) {
    console.log(JSON.stringify(summary, null, 2));
  } else {
    console.log(`Sent ${summary.sent} deliveries to ${url} in ${(summary.elapsedMs / 1000).toFixed(1)} s`);
    if (run) console.log(`Fresh ids of run ${run}: consumers process each delivery again.`);
    console.table(
      Object.entries(summary.byStatus).map(([status, count]) => ({
        status: Number(status) || "network error",
        count,
      })),
    );
    console.log(`latency p50 ${summary.p50.toFixed(1)} ms, p99 ${summary.p99.toFixed(1)} ms`);
    for (const m of summary.mismatches.slice(0, 20)) {
      console.log(
        `  ✗ ${m.fixture}: expected ${m.expected}, got ${m.status || "no answer"} ${m.body.slice(0, 120)}`,
      );
    }
    if (summary.mismatches.length > 20) console.log(`  … and ${summary.mismatches.length - 20} more`);
  }
  return summary.mismatches.length === 0 ? 0 : 1;
}
