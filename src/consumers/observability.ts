import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { Tracer } from "@aws-lambda-powertools/tracer";
import { CONSUMER_METRICS, METRIC_DIMENSIONS, METRICS_NAMESPACE, SERVICE_NAME } from "../contract/metrics";
import { loadTracer } from "../shared/tracing";

/** Metric names, one per record outcome, with a `consumer` dimension. */
export const METRICS = CONSUMER_METRICS;

export interface Observability {
  logger: Logger;
  /** Absent outside Lambda or with tracing off (see src/shared/tracing.ts). */
  tracer?: Tracer;
  metrics: Metrics;
}

/**
 * The Powertools trio with the service name `webhook-gateway`, built once at cold start. Log
 * level, namespace and sampling come from the usual `POWERTOOLS_*` variables; tracing is a no-op
 * outside Lambda.
 *
 * @example
 * const { logger, tracer, metrics } = defaultObservability();
 */
export function defaultObservability(overrides: Partial<Observability> = {}): Observability {
  return {
    logger: overrides.logger ?? new Logger({ serviceName: SERVICE_NAME }),
    tracer: overrides.tracer ?? loadTracer(SERVICE_NAME),
    metrics: overrides.metrics ?? new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME }),
  };
}

/**
 * Publishes one invocation's counts. Synchronous from the first dimension to the flush, so
 * consumers sharing a `Metrics` instance in one process cannot mix their dimensions.
 */
export function publishCounts(
  metrics: Metrics,
  consumer: string,
  counts: Record<keyof typeof METRICS, number>,
): void {
  const names = Object.keys(METRICS) as (keyof typeof METRICS)[];
  if (names.every((name) => counts[name] === 0)) return;
  metrics.addDimension(METRIC_DIMENSIONS.consumer, consumer);
  for (const name of names) {
    if (counts[name] > 0) metrics.addMetric(METRICS[name], MetricUnit.Count, counts[name]);
  }
  metrics.publishStoredMetrics();
}
