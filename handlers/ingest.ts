/**
 * Lambda entry point of the edge, behind a function URL (payload format 2.0).
 * Configuration and clients are built once per cold start; each request goes through the core.
 */
import type { Logger } from "@aws-lambda-powertools/logger";
import { ENV } from "../src/contract/environment";
import { METRICS_NAMESPACE, SERVICE_NAME } from "../src/contract/metrics";
import { createIngestClients } from "../src/edge/app";
import { loadIngestConfig } from "../src/edge/config";
import { emfMetrics } from "../src/edge/emf";
import { createIngestHandler } from "../src/edge/ingest-handler";
import { lazyLogger } from "../src/edge/lazy-logger";
import { loadTracer } from "../src/shared/tracing";

const serviceName = process.env[ENV.powertoolsServiceName] ?? SERVICE_NAME;
// Built on the first line printed: an accepted delivery logs nothing at the default level.
const logger = lazyLogger(() => {
  const { Logger: PowertoolsLogger } = require("@aws-lambda-powertools/logger") as {
    Logger: typeof Logger;
  };
  return new PowertoolsLogger({ serviceName });
}, process.env);
// The EMF documents Powertools' Metrics would print, without loading it (src/edge/emf.ts).
const metrics = emfMetrics(
  { serviceName, namespace: process.env[ENV.powertoolsMetricsNamespace] ?? METRICS_NAMESPACE },
  process.env,
);
const tracer = loadTracer(serviceName);

const config = loadIngestConfig(process.env);
// S3 and Secrets Manager are built on first use; the Tracer (when tracing is on) wraps each as it is built.
const clients = createIngestClients(config, {
  instrument: tracer ? (client) => tracer.captureAWSv3Client(client) : undefined,
});

export const handler = createIngestHandler({ config, clients, logger, metrics });
