import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { ConsumerDeployment, GatewayConfig } from "../../config/gateway-config";
import { loadGatewayConfig } from "../../config/load";
import { UsageError } from "../errors";
import type { CommandIO } from "./io";

// The emulators check nothing, but the SDK wants credentials.
const LOCAL = { region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } };

/**
 * The gateway's configuration for a stage, the named consumer, and the resource name prefix:
 * `<name>-<stage>-` in AWS, empty in the local runtime (whose queues are `<consumer>`).
 *
 * @example
 * const { consumer, prefix } = stageTarget(io, { consumer: "archive", stage: "prod", local: false });
 */
export function stageTarget(
  io: CommandIO,
  options: { consumer: string | undefined; stage?: string; local: boolean },
): { config: GatewayConfig; consumer: ConsumerDeployment; prefix: string } {
  if (options.local && options.stage) throw new UsageError("--stage does not apply to the local runtime");
  const config = loadGatewayConfig({
    root: io.cwd,
    env: { ...io.env, ...(options.stage ? { GATEWAY_STAGE: options.stage } : {}) },
  });
  const names = config.consumers.map((c) => c.name);
  if (!options.consumer) throw new UsageError(`name a consumer: ${names.join(", ")}`);
  const consumer = config.consumers.find((c) => c.name === options.consumer);
  if (!consumer)
    throw new UsageError(`unknown consumer "${options.consumer}" (consumers: ${names.join(", ")})`);
  return { config, consumer, prefix: options.local ? "" : `${config.name}-${config.stage}-` };
}

/** An SQS client for the stage's region, or for a local endpoint. */
export function sqsClient(config: GatewayConfig, endpoint: string | undefined): SQSClient {
  return endpoint ? new SQSClient({ ...LOCAL, endpoint }) : new SQSClient({ region: config.region });
}

/** A DynamoDB client for the stage's region, or for a local endpoint. */
export function dynamoClient(config: GatewayConfig, endpoint: string | undefined): DynamoDBClient {
  return endpoint
    ? new DynamoDBClient({ ...LOCAL, endpoint })
    : new DynamoDBClient({ region: config.region });
}
