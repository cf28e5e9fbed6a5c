import { parseArgs } from "node:util";
import { ENV } from "../../contract/environment";
import { describeTarget, type HookOwner, parseRepo } from "../../redelivery/github-target";
import { MissingVariableError, UsageError } from "../errors";
import { type GitHubClient, registerGithubHook } from "../ops/register-github";
import { slackManifest, updateSlackManifest } from "../ops/slack-manifest";
import { gatewayUrl } from "./gateway-url";
import { type CommandIO, firstSecret, githubClient, processIO } from "./io";

export const REGISTER_HELP = `Usage: webhook-gateway register github|slack [options]

  register github   create or update the gateway's webhook on a repository or organization
  register slack    print (or apply) the Slack app manifest for the gateway

Run "webhook-gateway register github --help" or "... register slack --help" for options.`;

export const REGISTER_GITHUB_HELP = `Usage: webhook-gateway register github (--repo owner/name | --org name) (--url URL | --outputs FILE) [options]

Creates the gateway's webhook (payload URL <url>/github, content type json, TLS verified, active)
or updates it when its events or settings differ; a second run changes nothing. Then waits for
GitHub's ping delivery and reports its status (exit 1 if it failed or never came).

Options:
  --repo <owner/name>   a repository webhook
  --org <name>          an organization webhook
  --url <url>           the gateway base URL (the function_url output)
  --outputs <file>      read function_url from a saved "npx cdktf output --json"
  --events <list>       comma-separated events (default push,pull_request,issues,issue_comment,release,workflow_run)
  --force               update even when nothing visible differs (sets the secret again)
  --skip-ping           do not request or wait for a ping (an unchanged hook then costs no write)
  --api-url <url>       GitHub REST API base URL (default GITHUB_API_URL or https://api.github.com)
  --ping-timeout <s>    seconds to wait for the ping delivery (default 30)
  -h, --help            this help

Environment: GITHUB_TOKEN (admin:repo_hook or admin:org_hook), GITHUB_WEBHOOK_SECRET (the
first of a comma-separated list; also read from .env).`;

export const REGISTER_SLACK_HELP = `Usage: webhook-gateway register slack (--url URL | --outputs FILE) [options]

Prints the Slack app manifest (JSON) for the gateway: Events, Interactivity and slash commands
at <url>/slack, the bot events the shipped consumers handle, and the scopes they need. Paste it
into https://api.slack.com/apps ("Create New App" > "From a manifest"), or update an existing app
with --apply.

Options:
  --url <url>           the gateway base URL (the function_url output)
  --outputs <file>      read function_url from a saved "npx cdktf output --json"
  --name <name>         app and bot name (default "Webhook Gateway")
  --commands <list>     comma-separated slash commands (default /echo)
  --apply               update the app with apps.manifest.update instead of printing
  --app-id <id>         the app to update (required with --apply)
  -h, --help            this help

Environment (with --apply): SLACK_CONFIG_TOKEN (an app configuration token), SLACK_API_URL
(default https://slack.com/api/).`;

const DEFAULT_EVENTS = "push,pull_request,issues,issue_comment,release,workflow_run";

export interface RegisterDeps extends Partial<CommandIO> {
  /** Replaces the Octokit built from GITHUB_TOKEN and --api-url. */
  github?: GitHubClient;
  sleep?: (ms: number) => Promise<void>;
  pollIntervalMs?: number;
}

/** `webhook-gateway register github|slack`: returns the exit code. */
export async function registerCommand(argv: string[], deps: RegisterDeps = {}): Promise<number> {
  const [provider, ...rest] = argv;
  if (provider === "github") return registerGithubCommand(rest, deps);
  if (provider === "slack") return registerSlackCommand(rest, deps);
  const io = { ...processIO(), ...deps };
  if (provider === undefined || provider === "--help" || provider === "-h") {
    io.out(REGISTER_HELP);
    return provider ? 0 : 2;
  }
  throw new UsageError(`unknown provider "${provider}": use github or slack`);
}

const list = (value: string) =>
  value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

/** `webhook-gateway register github`. */
export async function registerGithubCommand(argv: string[], deps: RegisterDeps = {}): Promise<number> {
  const io = { ...processIO(), ...deps };
  const { values } = parseArgs({
    args: argv,
    options: {
      repo: { type: "string" },
      org: { type: "string" },
      url: { type: "string" },
      outputs: { type: "string" },
      events: { type: "string", default: DEFAULT_EVENTS },
      force: { type: "boolean", default: false },
      "skip-ping": { type: "boolean", default: false },
      "api-url": { type: "string" },
      "ping-timeout": { type: "string", default: "30" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    io.out(REGISTER_GITHUB_HELP);
    return 0;
  }
  if (Boolean(values.repo) === Boolean(values.org))
    throw new UsageError("give exactly one of --repo or --org");
  let owner: HookOwner;
  try {
    owner = values.repo ? parseRepo(values.repo) : { kind: "org", org: values.org! };
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
  const events = list(values.events);
  if (events.length === 0) throw new UsageError("--events is empty");
  const timeout = Number(values["ping-timeout"]);
  if (!Number.isFinite(timeout) || timeout < 0)
    throw new UsageError("--ping-timeout must be a number of seconds");
  const url = `${gatewayUrl(values)}/github`;
  const secret = firstSecret(io.env[ENV.githubWebhookSecret]);
  if (!secret)
    throw new MissingVariableError(ENV.githubWebhookSecret, "the secret the gateway verifies with");
  const github = deps.github ?? githubClient(io.env, values["api-url"]);

  const result = await registerGithubHook(github, {
    owner,
    url,
    events,
    secret,
    force: values.force,
    skipPing: values["skip-ping"],
    pingTimeoutMs: timeout * 1000,
    pollIntervalMs: deps.pollIntervalMs,
    sleep: deps.sleep,
  });
  const verb = { created: "Created", updated: "Updated", unchanged: "Unchanged:" }[result.action];
  io.out(`${verb} webhook ${result.hookId} on ${describeTarget(owner)} → ${url} (${events.join(", ")})`);
  const { ping } = result;
  if (ping.status === "skipped") return 0;
  if (ping.status === "timeout") {
    io.err(`No ping delivery within ${timeout} s; check the hook's Recent Deliveries on GitHub.`);
    return 1;
  }
  if (ping.status === "failed") {
    io.err(`Ping delivery ${ping.guid} failed: the gateway answered ${ping.statusCode || "nothing"}.`);
    return 1;
  }
  io.out(`Ping delivery ${ping.guid} succeeded: ${ping.statusCode}.`);
  return 0;
}

/** `webhook-gateway register slack`. */
export async function registerSlackCommand(argv: string[], deps: RegisterDeps = {}): Promise<number> {
  const io = { ...processIO(), ...deps };
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: "string" },
      outputs: { type: "string" },
      name: { type: "string" },
      commands: { type: "string", default: "/echo" },
      apply: { type: "boolean", default: false },
      "app-id": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    io.out(REGISTER_SLACK_HELP);
    return 0;
  }
  const commands = list(values.commands);
  const bad = commands.find((c) => !/^\/[a-z0-9_-]+$/.test(c));
  if (bad) throw new UsageError(`slash commands look like /name (lower case), got "${bad}"`);
  if (values.apply && !values["app-id"]) throw new UsageError("--apply needs --app-id");
  if (!values.apply && values["app-id"]) throw new UsageError("--app-id is only used with --apply");
  const manifest = slackManifest({ url: gatewayUrl(values), name: values.name, commands });
  if (!values.apply) {
    io.out(JSON.stringify(manifest, null, 2));
    return 0;
  }
  const token = io.env.SLACK_CONFIG_TOKEN?.trim();
  if (!token) throw new MissingVariableError("SLACK_CONFIG_TOKEN", "an app configuration token, xoxe.xoxp-…");
  const result = await updateSlackManifest({
    apiUrl: io.env[ENV.slackApiUrl]?.trim() || "https://slack.com/api/",
    token,
    appId: values["app-id"]!,
    manifest,
  });
  if (!result.ok) {
    const details = (result.errors ?? []).map((e) => `${e.pointer ?? ""} ${e.message}`.trim()).join("; ");
    io.err(
      `apps.manifest.update failed: ${result.error ?? "unknown error"}${details ? ` (${details})` : ""}`,
    );
    return 1;
  }
  io.out(
    `Updated the manifest of ${values["app-id"]}${result.permissions_updated ? "; scopes changed: reinstall the app to grant them" : ""}.`,
  );
  return 0;
}
