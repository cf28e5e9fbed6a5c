import { parseArgs } from "node:util";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { loadGatewayConfig } from "../../config/load";
import { ArchiveStore } from "../../consumers/archive-store";
import { UsageError } from "../errors";
import type { Recording } from "../ops/fixture-of";
import {
  type EventSelection,
  eventsFromArchive,
  eventsFromRuntime,
  type RecordedFile,
  recordingOfDelivery,
  recordingsOfEvents,
  writeRecordings,
} from "../ops/record-fixtures";
import type { GitHubClient } from "../ops/register-github";
import { dynamoClient } from "./aws-target";
import { type CommandIO, githubClient, processIO } from "./io";
import { parseTarget } from "./redeliver";

export const FIXTURES_HELP = `Usage: webhook-gateway fixtures record [ids...] [source] [options]

Writes recorded deliveries as fixtures (fixtures/<provider>/<name>.json, named after the event
type), ready for "webhook-gateway replay" and the test kit. Signature headers, tokens and secrets
are left out. A file that already records the same delivery is kept unless --force; another
delivery of the same type gets a suffix (pull_request.opened.2.json).

Sources:
  (default)                   the local runtime's archive, through its API (/_/events): event ids,
                              or the newest events of --type; npm start must be running
  --stage <stage>             a deployed stage's archive table (gateway.config.json names it)
  --repo <owner/name> --hook-id <n> | --org <name> --hook-id <n> | --app
                              GitHub's delivery log: ids are delivery ids (numbers, as listed by
                              GET …/hooks/{id}/deliveries); keeps the request headers GitHub sent

Archived events keep the payload, not the request: the headers the edge needs (X-GitHub-Event,
X-GitHub-Delivery, X-GitHub-Hook-ID, content type) are reconstructed from the CloudEvent, and the
command says so.

Options:
  --type <pattern>            archive sources without ids: event type, "*" wildcards
  --limit <n>                 with --type: at most n events, newest first (default 10)
  --url <url>                 the local runtime (default http://127.0.0.1:3000)
  --dynamodb-endpoint <url>   with --stage: another DynamoDB endpoint (dynalite in tests)
  --api-url <url>             GitHub REST API base URL (default GITHUB_API_URL or api.github.com)
  --out <dir>                 fixtures folder (default fixtures)
  --force                     overwrite files that record the same delivery
  -h, --help                  this help

Environment: GITHUB_TOKEN for GitHub's delivery log.`;

export interface FixturesDeps extends Partial<CommandIO> {
  github?: GitHubClient;
  ddb?: DynamoDBClient;
}

type Values = Record<string, string | boolean | undefined>;

/** `webhook-gateway fixtures record …`: returns the exit code. */
export async function fixturesCommand(argv: string[], deps: FixturesDeps = {}): Promise<number> {
  const io = { ...processIO(), ...deps };
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      type: { type: "string" },
      limit: { type: "string", default: "10" },
      url: { type: "string", default: "http://127.0.0.1:3000" },
      stage: { type: "string" },
      "dynamodb-endpoint": { type: "string" },
      repo: { type: "string" },
      org: { type: "string" },
      "hook-id": { type: "string" },
      app: { type: "boolean", default: false },
      "api-url": { type: "string" },
      out: { type: "string", default: "fixtures" },
      force: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    io.out(FIXTURES_HELP);
    return 0;
  }
  const [action, ...ids] = positionals;
  if (action !== "record")
    throw new UsageError(action ? `unknown action "${action}": use record` : "missing action: record");
  const recordings = await recordingsFrom(values, ids, io, deps);
  const files = writeRecordings(recordings, { dir: values.out, force: values.force });
  for (const line of report(files)) io.out(line);
  return 0;
}

async function recordingsFrom(
  values: Values,
  ids: string[],
  io: CommandIO,
  deps: FixturesDeps,
): Promise<Recording[]> {
  const github = Boolean(values.repo || values.org || values.app);
  if (github && values.stage) throw new UsageError("give either --stage or a GitHub hook, not both");
  if (github) {
    if (ids.length === 0) throw new UsageError("name the delivery ids to record");
    const target = parseTarget(values as Parameters<typeof parseTarget>[0]);
    const client = deps.github ?? githubClient(io.env, values["api-url"] as string | undefined);
    return Promise.all(ids.map((id) => recordingOfDelivery(client, target, deliveryId(id))));
  }
  const selection = eventSelection(values, ids);
  if (values.stage) {
    const config = loadGatewayConfig({
      root: io.cwd,
      env: { ...io.env, GATEWAY_STAGE: values.stage as string },
    });
    const table = `${config.name}-${config.stage}-archive`;
    const ddb = deps.ddb ?? dynamoClient(config, values["dynamodb-endpoint"] as string | undefined);
    return recordingsOfEvents(
      await eventsFromArchive(new ArchiveStore(ddb, table), selection),
      `the ${config.stage} archive`,
    );
  }
  const url = values.url as string;
  return recordingsOfEvents(await eventsFromRuntime(url, selection), `the local runtime's archive (${url})`);
}

function eventSelection(values: Values, ids: string[]): EventSelection {
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new UsageError("--limit must be 1 to 1000");
  const type = values.type as string | undefined;
  if (ids.length > 0 && type) throw new UsageError("give event ids or --type, not both");
  if (ids.length === 0 && !type)
    throw new UsageError("name event ids, or --type to record the newest of a type");
  return { ids, type, limit };
}

function deliveryId(value: string): number {
  const id = Number(value);
  if (!Number.isInteger(id) || id < 1) throw new UsageError(`a delivery id is a number, got "${value}"`);
  return id;
}

function report(files: readonly RecordedFile[]): string[] {
  const lines = files.map(({ file, status, recording }) => {
    const id = recording.fixture.expect.event?.id ?? "";
    const verb = status === "kept" ? "kept (already records this delivery; --force overwrites)" : status;
    return `${verb} ${file} ${id} → ${recording.fixture.expect.status}`;
  });
  const rebuilt = files.find((f) => f.recording.reconstructed.length > 0);
  if (rebuilt) {
    lines.push(
      `Headers reconstructed from the CloudEvent (the archive keeps payloads, not requests): ${rebuilt.recording.reconstructed.join(", ")}.`,
    );
  }
  return lines;
}
