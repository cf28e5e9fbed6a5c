import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";
import { ENV } from "../../contract/environment";
import { METRICS_NAMESPACE, SERVICE_NAME } from "../../contract/metrics";
import { QUIET_SDK_LOGGER } from "../../shared/sdk-logger";
import { loadTracer } from "../../shared/tracing";
import { loadConsumerLambdaConfig } from "../config";
import type { ShippedDeps } from "./deps";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Everything a consumer Lambda needs, built once at cold start from the environment: the
 * configuration, the AWS clients (endpoints can be redirected with the SDK's own
 * `AWS_ENDPOINT_URL_*` variables) and the Powertools logger, tracer and metrics.
 *
 * @example
 * const deps = lambdaDeps(process.env);
 * export const handler = shippedArchiveConsumer(deps, deps.config.consumerName).createHandler();
 */
export function lambdaDeps(env: Env): ShippedDeps {
  const config = loadConsumerLambdaConfig(env);
  const serviceName = env[ENV.powertoolsServiceName] ?? SERVICE_NAME;
  return {
    config,
    ddb: new DynamoDBClient({ maxAttempts: 3, logger: QUIET_SDK_LOGGER }),
    s3: new S3Client({ logger: QUIET_SDK_LOGGER }),
    sqs: new SQSClient({ logger: QUIET_SDK_LOGGER }),
    secretsManager: config.slackBotTokenSecretId
      ? new SecretsManagerClient({ logger: QUIET_SDK_LOGGER })
      : undefined,
    logger: new Logger({ serviceName }),
    tracer: loadTracer(serviceName, env),
    metrics: new Metrics({
      serviceName,
      namespace: env[ENV.powertoolsMetricsNamespace] ?? METRICS_NAMESPACE,
    }),
  };
}
