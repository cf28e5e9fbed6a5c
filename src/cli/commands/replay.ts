import { join } from "node:path";
import { parseArgs } from "node:util";
import { ENV } from "../../contract/environment";
import { exampleFixtures } from "../../fixtures/examples";
import { loadFixtures } from "../../fixtures/load";
import {
  DEV_GITHUB_SECRET,
  DEV_SLACK_SECRET,
  type ResolvedSecret,
  resolveSecret,
} from "../../local/dev-secrets";
import { readEnvFile } from "../../shared/env-file";
import { UsageError } from "../errors";
import { formatTable, plural } from "../format";
import { freshIds, reprocessRunId } from "../ops/reprocess";
import { progressBar } from "../progress";
import { type ReplayResult, type ReplaySummary, replay } from "../replay";
import { type CommandIO, processIO } from "./io";

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

export type ReplayDeps = Partial<CommandIO>;

/** `webhook-gateway replay`: returns the process exit code. */
export async function replayCommand(argv: string[], deps: ReplayDeps = {}): Promise<number> {
  const io = { ...processIO(), ...deps };
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
    io.out(REPLAY_HELP);
    return 0;
  }
  const number = (name: string, value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1)
      throw new UsageError(`--${name} must be a positive integer, got "${value}"`);
    return n;
  };
  const every = number("every", values.every);
  const paths = positionals.length === 0 && !values.examples ? [join(io.cwd, "fixtures")] : positionals;
  const run = values["fresh-ids"] ? reprocessRunId() : undefined;
  const fixtures = [...loadFixtures(paths), ...(values.examples ? exampleFixtures() : [])]
    .filter((_, i) => i % every === 0)
    .map((fixture) => (run ? freshIds(fixture, run) : fixture));
  if (fixtures.length === 0) throw new UsageError("no fixtures found");
  // The environment without .env merged in, so each secret's origin can be named.
  const env = deps.env ?? process.env;
  const file = readEnvFile(join(io.cwd, ".env"));
  const signing = {
    github: resolveSecret(ENV.githubWebhookSecret, env, file, DEV_GITHUB_SECRET),
    slack: resolveSecret(ENV.slackSigningSecret, env, file, DEV_SLACK_SECRET),
  };
  const url = values.url ?? `http://127.0.0.1:${env.PORT ?? file.PORT ?? 3000}`;
  const bar = progressBar(io.progress);
  const summary = await replay({
    url,
    fixtures,
    secrets: { github: signing.github.values[0], slack: signing.slack.values[0] },
    concurrency: number("concurrency", values.concurrency),
    repeat: number("repeat", values.repeat),
    onResult: (_result, done, total) => bar.update(done, total),
  });
  bar.done();
  if (values.json) {
    io.out(JSON.stringify(summary, null, 2));
    return summary.mismatches.length === 0 ? 0 : 1;
  }
  if (summary.mismatches.length > 0 && summary.mismatches.every(isConnectionRefused)) {
    io.err(`Nothing answered at ${url} (connection refused): is npm start running at that URL?`);
    return 1;
  }
  if (run) io.out(`Fresh ids of run ${run}: consumers process each delivery again.`);
  printSummary(io, url, summary, signing);
  return summary.mismatches.length === 0 ? 0 : 1;
}

const PROVIDER_NAMES = { github: "GitHub", slack: "Slack" } as const;
const ORIGINS: Record<ResolvedSecret["origin"], string> = {
  environment: "the environment",
  ".env": ".env",
  "development default": "the development default",
};
const SECRET_NAMES = { github: ENV.githubWebhookSecret, slack: ENV.slackSigningSecret } as const;

function printSummary(
  io: Pick<CommandIO, "out" | "err">,
  url: string,
  summary: ReplaySummary,
  signing: Record<"github" | "slack", ResolvedSecret>,
): void {
  io.out(
    `Sent ${plural(summary.sent, "delivery", "deliveries")} to ${url} in ${(summary.elapsedMs / 1000).toFixed(1)} s`,
  );
  for (const line of formatTable(
    Object.entries(summary.byStatus).map(([status, count]) => ({
      status: Number(status) || "network error",
      count,
    })),
  )) {
    io.out(line);
  }
  io.out(`latency p50 ${summary.p50.toFixed(1)} ms, p99 ${summary.p99.toFixed(1)} ms`);
  // A delivery refused as wrongly signed, that should have been accepted: the secrets differ.
  const wrongSecret = (r: ReplayResult) => r.status === 401 && r.expected !== 401;
  for (const provider of ["github", "slack"] as const) {
    const refused = summary.mismatches.filter((r) => r.provider === provider && wrongSecret(r)).length;
    if (refused === 0) continue;
    io.err(
      `The gateway refused ${plural(refused, `${PROVIDER_NAMES[provider]} delivery`, `${PROVIDER_NAMES[provider]} deliveries`)} as wrongly signed (401): they were signed with ${SECRET_NAMES[provider]} from ${ORIGINS[signing[provider].origin]}; the server must use the same secret.`,
    );
  }
  const others = summary.mismatches.filter((r) => !wrongSecret(r));
  for (const m of others.slice(0, 20)) {
    io.err(
      `  ✗ ${m.fixture}: expected ${m.expected}, got ${m.status || "no answer"} ${m.body.slice(0, 120)}`,
    );
  }
  if (others.length > 20) io.err(`  … and ${others.length - 20} more`);
}

function isConnectionRefused(result: ReplayResult): boolean {
  return result.status === 0 && result.body === "ECONNREFUSED";
}
