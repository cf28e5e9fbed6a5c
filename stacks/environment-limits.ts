/**
 * Lambda refuses a function whose environment variables exceed 4 KB together, at apply time and
 * after everything before it was created. The stack checks before synthesizing instead: each
 * function's variables are built by the same functions the constructs use, with every value known
 * only at apply (queue URLs, the bucket's generated name, secret ARNs) replaced by a stand-in of
 * its deployed length.
 */

import { registerGitHubListeners } from "../listeners/github";
import type { ConsumerDeployment, GatewayConfig } from "../src/config/gateway-config";
import { routeGitHubByListeners } from "../src/config/listener-routes";
import { GatewayConfigError } from "../src/config/validate";
import { listenedGitHubTypes } from "../src/consumers/github";
import { LAMBDA_ENVIRONMENT_MAX_BYTES } from "../src/contract/limits";
import { consumerEnvironment } from "./constructs/consumer-function";
import { edgeEnvironment } from "./constructs/edge-function";
import { functionEnvironment } from "./constructs/node-function";
import { redeliveryEnvironment } from "./constructs/redelivery-job";

/** One function's variables, as it will be deployed (stand-ins for apply-time values). */
export interface PlannedEnvironment {
  functionName: string;
  variables: Record<string, string>;
}

/** The longest account id, and the 26 characters Terraform appends to a `bucket_prefix`. */
const ACCOUNT_ID = "123456789012";
const BUCKET_SUFFIX = "x".repeat(26);
/** Secrets Manager appends `-` and six random characters to a secret's name in its ARN. */
const SECRET_SUFFIX = "-AbCdEf";

/**
 * The route list the edge reads (`GATEWAY_ROUTES`), for queue URLs given in consumer order.
 *
 * @example
 * edgeRoutes(config.consumers, urls)[0] // { name: "archive", queueUrl: urls[0], fifo: false, types: ["*"], sources: [] }
 */
export function edgeRoutes(consumers: readonly ConsumerDeployment[], queueUrls: readonly string[]) {
  // The shipped github consumer gets only the events its listeners handle (listeners/github.ts).
  const routed = routeGitHubByListeners(consumers, listenedGitHubTypes(registerGitHubListeners));
  return routed.map((consumer, index) => ({
    name: consumer.name,
    queueUrl: queueUrls[index]!,
    fifo: consumer.fifo,
    types: consumer.types,
    sources: consumer.sources,
  }));
}

/**
 * Every function's variables with stand-ins of deployed length for what only apply knows.
 *
 * @example
 * plannedEnvironments(config).map((e) => e.functionName) // ["webhook-gateway-dev-archive", …, "webhook-gateway-dev-ingest"]
 */
export function plannedEnvironments(config: GatewayConfig): PlannedEnvironment[] {
  const prefix = `${config.name}-${config.stage}`;
  const partition = config.region.startsWith("cn-")
    ? "aws-cn"
    : config.region.startsWith("us-gov-")
      ? "aws-us-gov"
      : "aws";
  const domain = partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
  const secretArn = (name: string) =>
    `arn:${partition}:secretsmanager:${config.region}:${ACCOUNT_ID}:secret:${name}${SECRET_SUFFIX}`;
  const resources = {
    idempotencyTableName: `${prefix}-idempotency`,
    archiveTableName: `${prefix}-archive`,
    bucketName: `${prefix}-claims-${BUCKET_SUFFIX}`,
    slackBotTokenArn: secretArn(config.secretNames.slackBotToken),
    githubAppArn: secretArn(config.secretNames.githubApp),
  };
  const consumers = config.consumers.map((c) => {
    const functionName = `${prefix}-${c.name}`;
    return { functionName, variables: consumerEnvironment(functionName, c, resources, config) };
  });
  const queueUrls = config.consumers.map(
    (c) => `https://sqs.${config.region}.${domain}/${ACCOUNT_ID}/${prefix}-${c.name}${c.fifo ? ".fifo" : ""}`,
  );
  const edgeName = `${prefix}-ingest`;
  const edge = {
    functionName: edgeName,
    variables: edgeEnvironment({
      functionName: edgeName,
      routesJson: terraformJson(edgeRoutes(config.consumers, queueUrls)),
      githubSecretArn: secretArn(config.secretNames.githubWebhook),
      slackSecretArn: secretArn(config.secretNames.slackSigningSecret),
      bucketName: resources.bucketName,
      metricsNamespace: config.metricsNamespace,
    }),
  };
  const redelivery = config.redelivery.enabled
    ? [
        {
          functionName: `${prefix}-redeliver`,
          variables: redeliveryEnvironment(
            config.redelivery,
            `${prefix}-redelivery`,
            secretArn(config.secretNames.githubToken),
          ),
        },
      ]
    : [];
  return [...consumers, edge, ...redelivery].map(({ functionName, variables }) => ({
    functionName,
    variables: { ...functionEnvironment(config.tracing, config.logLevel), ...variables },
  }));
}

/**
 * The size Lambda's 4 KB limit is held against, counted generously: the UTF-8 bytes of the
 * variables as a JSON object (keys, values, quotes and separators).
 *
 * @example
 * environmentBytes({ A: "b" }) // 9, for {"A":"b"}
 */
export function environmentBytes(variables: Record<string, string>): number {
  return Buffer.byteLength(JSON.stringify(variables), "utf8");
}

/**
 * Fails, naming the function, its size and the limit, when a function's variables would exceed
 * Lambda's 4 KB.
 *
 * @example
 * checkEnvironmentSizes(config); // throws GatewayConfigError with 15+ consumers on the edge's routes
 */
export function checkEnvironmentSizes(config: GatewayConfig): void {
  for (const { functionName, variables } of plannedEnvironments(config)) {
    const bytes = environmentBytes(variables);
    if (bytes > LAMBDA_ENVIRONMENT_MAX_BYTES) {
      const largest = Object.entries(variables).sort(([, a], [, b]) => b.length - a.length)[0]![0];
      throw new GatewayConfigError(
        `gateway config: the environment of function ${functionName} would be ${bytes} bytes, over Lambda's limit of ${LAMBDA_ENVIRONMENT_MAX_BYTES} bytes (largest variable: ${largest})`,
      );
    }
  }
}

/** JSON as Terraform's `jsonencode` writes it: compact, with `<`, `>` and `&` escaped. */
function terraformJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
}
