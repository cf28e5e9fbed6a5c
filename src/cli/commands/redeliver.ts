import { parseArgs } from "node:util";
import { type DeliveryTarget, describeTarget, parseRepo } from "../../redelivery/github-target";
import { redeliverFailed } from "../../redelivery/redeliver";
import { UsageError } from "../errors";
import { parseSince } from "../ops/duration";
import type { GitHubClient } from "../ops/register-github";
import { type CommandIO, githubAppClient, githubClient, processIO } from "./io";

export const REDELIVER_HELP = `Usage: webhook-gateway redeliver github (--repo owner/name --hook-id N | --org name --hook-id N | --app) [options]

Lists the hook's deliveries over a window, groups the attempts by delivery (guid), and asks GitHub
to redeliver, once, every delivery whose attempts all failed (no 2xx). Deliveries that succeeded
on a later attempt are left alone. GitHub never retries failed deliveries by itself.

Options:
  --repo <owner/name>    a repository hook (with --hook-id)
  --org <name>           an organization hook (with --hook-id)
  --hook-id <n>          the hook's id (shown by "register github")
  --app                  the GitHub App's hook, as the App (GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY)
  --since <when>         window start: 24h, 90m, 3d, or an ISO timestamp (default 24h)
  --max-attempts <n>     leave alone deliveries that already failed n times (default 3)
  --dry-run              list what would be redelivered; request nothing
  --api-url <url>        GitHub REST API base URL (default GITHUB_API_URL or https://api.github.com)
  -h, --help             this help

Environment (also read from .env): GITHUB_TOKEN (admin:repo_hook or admin:org_hook); with --app,
GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY (PEM, \\n-escaped line breaks allowed), from which each
request's App JWT is signed.`;

export interface RedeliverDeps extends Partial<CommandIO> {
  github?: GitHubClient;
  now?: () => number;
}

/** `webhook-gateway redeliver github …`: returns the exit code (1 if a redelivery request failed). */
export async function redeliverCommand(argv: string[], deps: RedeliverDeps = {}): Promise<number> {
  const io = { ...processIO(), ...deps };
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      repo: { type: "string" },
      org: { type: "string" },
      "hook-id": { type: "string" },
      app: { type: "boolean", default: false },
      since: { type: "string", default: "24h" },
      "max-attempts": { type: "string", default: "3" },
      "dry-run": { type: "boolean", default: false },
      "api-url": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    io.out(REDELIVER_HELP);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] !== "github") {
    throw new UsageError('expected "redeliver github" (Slack retries by itself; nothing to redeliver)');
  }
  const target = parseTarget(values);
  const now = (deps.now ?? Date.now)();
  let since: number;
  try {
    since = parseSince(values.since, now);
  } catch (error) {
    throw new UsageError(`--since: ${(error as Error).message}`, { cause: error });
  }
  const maxAttempts = Number(values["max-attempts"]);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new UsageError("--max-attempts must be a positive integer");
  const client = target.kind === "app" ? githubAppClient : githubClient;
  const github = deps.github ?? client(io.env, values["api-url"]);

  const dryRun = values["dry-run"];
  const report = await redeliverFailed(github, { target, since, dryRun, maxAttempts });
  for (const d of report.redeliver) {
    const what = `${d.guid} (${d.event}${d.action ? `.${d.action}` : ""}, last attempt ${d.id} at ${d.delivered_at}: ${d.status_code || "no answer"})`;
    const failure = report.failures.find((f) => f.deliveryId === d.id);
    if (dryRun) io.out(`would redeliver ${what}`);
    else if (failure) io.err(`could not redeliver ${what}: ${failure.message}`);
    else io.out(`redelivered ${what}`);
  }
  const failed = report.redeliver.length + report.exhausted.length;
  io.out(
    `${describeTarget(target)} since ${new Date(since).toISOString()}: ${report.examined} attempts of ${report.guids} deliveries; ` +
      `${failed} failed, ${dryRun ? `${report.redeliver.length} to redeliver (dry run)` : `${report.requested.length} redelivered`}, ` +
      `${report.recovered.length} recovered on a later attempt, ${report.exhausted.length} given up after ${maxAttempts} attempts.`,
  );
  return report.failures.length === 0 ? 0 : 1;
}

/** The hook whose deliveries a command reads: `--repo`/`--org` with `--hook-id`, or `--app`. */
export function parseTarget(values: {
  repo?: string;
  org?: string;
  "hook-id"?: string;
  app: boolean;
}): DeliveryTarget {
  const chosen = [values.repo, values.org, values.app || undefined].filter(Boolean).length;
  if (chosen !== 1) throw new UsageError("give exactly one of --repo, --org or --app");
  if (values.app) {
    if (values["hook-id"]) throw new UsageError("--hook-id does not apply to --app");
    return { kind: "app" };
  }
  const hookId = Number(values["hook-id"]);
  if (!values["hook-id"] || !Number.isInteger(hookId) || hookId < 1) {
    throw new UsageError("--hook-id must be the hook's numeric id");
  }
  if (values.org) return { kind: "org", org: values.org, hookId };
  try {
    return { ...parseRepo(values.repo!), hookId };
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
}
