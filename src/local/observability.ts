import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { METRICS_NAMESPACE } from "../contract/metrics";

const serviceName = "webhook-gateway";

type LogLevel = NonNullable<NonNullable<ConstructorParameters<typeof Logger>[0]>["logLevel"]>;

/**
 * Powertools metrics that publish nothing: the local runtime keeps its own counters
 * (`/_/metrics`) and prints one line per event, so EMF documents on stdout would only be noise.
 */
export class SilentMetrics extends Metrics {
  override publishStoredMetrics(): this {
    this.clearMetrics();
    this.clearDimensions();
    this.clearMetadata();
    return this;
  }

  override singleMetric(): Metrics {
    return new SilentMetrics({ namespace: METRICS_NAMESPACE, serviceName, singleMetric: true });
  }
}

/**
 * The logger and metrics the local runtime gives the edge and the consumers: Powertools logs at
 * `level` (default ERROR, `LOG_LEVEL` in `.env`), metrics silent.
 *
 * @example
 * const { logger, metrics } = localObservability(env.LOG_LEVEL);
 */
export function localObservability(level: string | undefined): { logger: Logger; metrics: Metrics } {
  return {
    logger: new Logger({ serviceName, logLevel: (level ?? "ERROR") as LogLevel }),
    metrics: new SilentMetrics({ namespace: METRICS_NAMESPACE, serviceName }),
  };
}
