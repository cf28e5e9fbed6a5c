/**
 * Lambda entry point of the edge, behind a function URL (payload format 2.0).
 * Configuration and clients are built once per cold start; each request goes through the core.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import type { Context, LambdaFunctionURLEvent, LambdaFunctionURLResult } from "aws-lambda";
import { ENV } from "../src/contract/environment";
import { METRICS_NAMESPACE, SERVICE_NAME } from "../src/contract/metrics";
import { fromFunctionUrlEvent, toFunctionUrlResult } from "../src/edge/adapters/function-url";
import { createIngestApp, createIngestClients } from "../src/edge/app";
import { loadIngestConfig } from "../src/edge/config";
import type { Outcome } from "../src/edge/gateway";
import { observe } from "../src/edge/observe";
import { loadTracer } from "../src/shared/tracing";

const serviceName = process.env[ENV.powertoolsServiceName] ?? SERVICE_NAME;
const logger = new Logger({ serviceName });
const metrics = new Metrics({
  serviceName,
  namespace: process.env[ENV.powertoolsMetricsNamespace] ?? METRICS_NAMESPACE,
});
const tracer = loadTracer(serviceName);

const config = loadIngestConfig(process.env);
const clients = createIngestClients(config);
if (tracer) {
  tracer.captureAWSv3Client(clients.sqs);
  if (clients.s3) tracer.captureAWSv3Client(clients.s3);
}
const gateway = createIngestApp(config, clients);

/** Observers of every request's outcome; the local runtime prints one line per event from it. */
export const outcomeListeners = new Set<(outcome: Outcome) => void>();

export async function handler(
  event: LambdaFunctionURLEvent,
  context: Context,
): Promise<LambdaFunctionURLResult> {
  logger.addContext(context);
  try {
    const { response, outcome } = await gateway(fromFunctionUrlEvent(event));
    observe(outcome, logger, metrics);
    for (const listener of outcomeListeners) listener(outcome);
    return toFunctionUrlResult(response);
  } finally {
    metrics.publishStoredMetrics();
    logger.resetKeys();
  }
}
