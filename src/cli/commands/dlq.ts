import { parseArgs } from "node:util";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { UsageError } from "../errors";
import { approximateCount, consumerQueues, moveMessages, startRedrive } from "../ops/queues";
import { progressBar } from "../progress";
import { runningLocalEndpoints, sqsClient, stageTarget } from "./aws-target";
import { type CommandIO, processIO } from "./io";

export const DLQ_HELP = `Usage: webhook-gateway dlq redrive <consumer> [options]

Moves a consumer's dead letters back to its queue, after a fix. In AWS it starts an SQS message
move task from <name>-<stage>-<consumer>-dlq to the queue and prints its handle (the move runs in
SQS; follow it with "aws sqs list-message-move-tasks"). With --local (or --local-endpoint) it works
on the local runtime and moves the messages itself, with counts and a progress bar.
Idempotency skips events that were already processed.

Options:
  --stage <stage>            the stage (default GATEWAY_STAGE, gateway.config.json, then dev)
  --local                    the running local runtime (npm start; its endpoints from .data/endpoints.json)
  --local-endpoint <url>     the local runtime's SQS endpoint (queues <consumer> and <consumer>-dlq)
  -h, --help                 this help`;

export interface DlqDeps extends Partial<CommandIO> {
  sqs?: SQSClient;
}

/** `webhook-gateway dlq redrive <consumer>`: returns the exit code (1 if a message could not be moved). */
export async function dlqCommand(argv: string[], deps: DlqDeps = {}): Promise<number> {
  const io = { ...processIO(), ...deps };
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      stage: { type: "string" },
      local: { type: "boolean", default: false },
      "local-endpoint": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    io.out(DLQ_HELP);
    return 0;
  }
  const [action, name, ...extra] = positionals;
  if (action !== "redrive")
    throw new UsageError(action ? `unknown action "${action}": use redrive` : "missing action: redrive");
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const endpoint = values["local-endpoint"] ?? (values.local ? runningLocalEndpoints(io).sqs : undefined);
  const { config, consumer, prefix } = stageTarget(io, {
    consumer: name,
    stage: values.stage,
    local: Boolean(endpoint),
  });
  const sqs = deps.sqs ?? sqsClient(config, endpoint);
  const queues = await consumerQueues(sqs, { prefix, consumer: consumer.name, fifo: consumer.fifo });
  if (!endpoint) {
    const waiting = await approximateCount(sqs, queues.dlqUrl);
    const handle = await startRedrive(sqs, queues);
    io.out(
      `Started moving about ${waiting} messages from ${queues.dlqUrl} to ${queues.queueUrl}; task ${handle}`,
    );
    return 0;
  }
  const total = await approximateCount(sqs, queues.dlqUrl);
  const bar = progressBar(io.progress);
  const result = await moveMessages(sqs, queues, (done) => bar.update(done, Math.max(total, done)));
  if (total > 0 || result.moved > 0) bar.done();
  io.out(
    `Moved ${result.moved} messages from ${consumer.name}-dlq to ${consumer.name}${result.failed ? `; ${result.failed} refused, left in the DLQ` : ""}.`,
  );
  return result.failed === 0 ? 0 : 1;
}
