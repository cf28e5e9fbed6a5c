import { join, resolve } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import type { ConsumerDeployment, GatewayConfig } from "../../config/gateway-config";
import { loadGatewayConfig } from "../../config/load";
import { ENDPOINTS_FILE, type LocalEndpointsFile, readEndpointsFile } from "../../local/endpoints-file";
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

/**
 * The running local runtime's endpoints, from `<LOCAL_DATA_DIR or .data>/endpoints.json` (written
 * at every `npm start`, since the ports change); a usage error when no runtime is running there.
 *
 * @example
 * runningLocalEndpoints(io).sqs // "http://127.0.0.1:49152"
 */
export function runningLocalEndpoints(io: Pick<CommandIO, "cwd" | "env">): LocalEndpointsFile {
  const dataDir = resolve(io.cwd, io.env.LOCAL_DATA_DIR ?? ".data");
  const endpoints = readEndpointsFile(dataDir);
  if (!endpoints) {
    throw new UsageError(
      `no local runtime is running on ${join(dataDir, ENDPOINTS_FILE)}: start one with npm start (LOCAL_DATA_DIR picks its directory), or pass --local-endpoint`,
    );
  }
  return endpoints;
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
