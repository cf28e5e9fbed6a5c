import { parseArgs } from "node:util";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { ArchiveStore } from "../../consumers/archive-store";
import { UsageError } from "../errors";
import { plural } from "../format";
import { replayArchive } from "../ops/archive-replay";
import { consumerQueues } from "../ops/queues";
import { reprocessRunId } from "../ops/reprocess";
import { progressBar } from "../progress";
import { dynamoClient, runningLocalEndpoints, sqsClient, stageTarget } from "./aws-target";
import { type CommandIO, processIO } from "./io";

export const ARCHIVE_HELP = `Usage: webhook-gateway archive replay --consumer <name> [filters] [options]

Reads events from the archive table a page at a time and sends each, oldest first, to a
consumer's queue the way the edge does (the event's JSON, with type/source/provider message attributes). The consumer's
idempotency skips events it already processed while their records last (7 days by default).

Filters:
  --type <pattern>            event type, "*" wildcards (com.github.pull_request.*)
  --source <pattern>          event source, "*" wildcards
  --from <ISO>, --to <ISO>    received between (inclusive; default the last 30 days)
  --limit <n>                 at most n events, the oldest (default: every matching event)

Options:
  --consumer <name>           the consumer whose queue receives the events (required)
  --stage <stage>             the stage (default GATEWAY_STAGE, gateway.config.json, then dev)
  --local                     the running local runtime (npm start; its endpoints from .data/endpoints.json)
  --local-endpoint <url>      the local runtime's SQS endpoint (printed by npm start)
  --dynamodb-endpoint <url>   the local runtime's DynamoDB endpoint (with --local-endpoint)
  --reprocess                 run the consumer again on events it already processed (after a fix):
                              the events carry a new run id that scopes its idempotency, so each
                              runs once more, once; the archive counts the run on each event
  --dry-run                   count the matching events; send nothing
  -h, --help                  this help`;

export interface ArchiveDeps extends Partial<CommandIO> {
  sqs?: SQSClient;
  ddb?: DynamoDBClient;
}

/** `webhook-gateway archive replay`: returns the exit code (1 if an event could not be sent). */
export async function archiveCommand(argv: string[], deps: ArchiveDeps = {}): Promise<number> {
  const io = { ...processIO(), ...deps };
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      consumer: { type: "string" },
      type: { type: "string" },
      source: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      limit: { type: "string" },
      stage: { type: "string" },
      local: { type: "boolean", default: false },
      "local-endpoint": { type: "string" },
      "dynamodb-endpoint": { type: "string" },
      "dry-run": { type: "boolean", default: false },
      reprocess: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    io.out(ARCHIVE_HELP);
    return 0;
  }
  const [action, ...extra] = positionals;
  if (action !== "replay")
    throw new UsageError(action ? `unknown action "${action}": use replay` : "missing action: replay");
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  for (const bound of ["from", "to"] as const) {
    const value = values[bound];
    if (value !== undefined && (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(Date.parse(value)))) {
      throw new UsageError(`--${bound} must be an ISO 8601 time, got "${value}"`);
    }
  }
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
    throw new UsageError("--limit must be a positive integer");
  const endpoints = localTarget(io, values);
  const { config, consumer, prefix } = stageTarget(io, {
    consumer: values.consumer,
    stage: values.stage,
    local: Boolean(endpoints),
  });
  const sqs = deps.sqs ?? sqsClient(config, endpoints?.sqs);
  const ddb = deps.ddb ?? dynamoClient(config, endpoints?.dynamodb);
  const archive = new ArchiveStore(ddb, `${prefix}archive`, { retentionDays: config.archiveRetentionDays });
  const query = { type: values.type, source: values.source, from: values.from, to: values.to, limit };
  if (values["dry-run"]) {
    let count = 0;
    for await (const _ of archive.eventsOldestFirst(query)) if (++count === limit) break;
    io.out(
      `${plural(count, "archived event")} ${count === 1 ? "matches" : "match"}; nothing sent (dry run).`,
    );
    return 0;
  }
  const queues = await consumerQueues(sqs, { prefix, consumer: consumer.name, fifo: consumer.fifo });
  const bar = progressBar(io.progress);
  const reprocess = values.reprocess ? { run: reprocessRunId(), consumer: consumer.name } : undefined;
  const result = await replayArchive({
    archive,
    sqs,
    queueUrl: queues.queueUrl,
    fifo: consumer.fifo,
    query,
    reprocess,
    onProgress: (done) => bar.update(done),
  });
  if (result.sent + result.skipped.length + result.failed.length > 0) bar.done();
  io.out(`Sent ${plural(result.sent, "archived event")} to ${consumer.name}.`);
  if (reprocess) io.out(`Reprocessing run ${reprocess.run}: ${consumer.name} runs each event once more.`);
  if (result.skipped.length > 0) {
    io.err(
      `Skipped ${plural(result.skipped.length, "event")} archived without their data: ${result.skipped.slice(0, 5).join(", ")}`,
    );
  }
  for (const failure of result.failed.slice(0, 10))
    io.err(`could not send ${failure.id}: ${failure.message}`);
  return result.failed.length === 0 ? 0 : 1;
}

/** The local runtime's SQS and DynamoDB endpoints (`--local`, or both given), or `undefined` for AWS. */
function localTarget(
  io: CommandIO,
  values: { local?: boolean; "local-endpoint"?: string; "dynamodb-endpoint"?: string },
): { sqs: string; dynamodb: string } | undefined {
  const sqs = values["local-endpoint"];
  const dynamodb = values["dynamodb-endpoint"];
  if (Boolean(sqs) !== Boolean(dynamodb)) {
    throw new UsageError("--local-endpoint and --dynamodb-endpoint go together");
  }
  if (sqs && dynamodb) return { sqs, dynamodb };
  return values.local ? runningLocalEndpoints(io) : undefined;
}
