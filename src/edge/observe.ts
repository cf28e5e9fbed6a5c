import type { Logger } from "@aws-lambda-powertools/logger";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { EDGE_METRICS, METRIC_DIMENSIONS } from "../contract/metrics";
import type { Outcome } from "./gateway";

/**
 * Logs and counts one request's outcome: `Received`, `Rejected` (by reason), `Queued`,
 * `Answered`, `Failed`, `Unrouted`. Logs carry ids and types, never secrets or payloads.
 *
 * @example
 * observe(outcome, logger, metrics);
 */
export function observe(outcome: Outcome, logger: Logger, metrics: Metrics): void {
  const provider = outcome.provider ?? "none";
  if ("eventId" in outcome && outcome.eventId) logger.setCorrelationId(outcome.eventId);
  metrics.addMetric(EDGE_METRICS.received, MetricUnit.Count, 1);
  switch (outcome.status) {
    case "queued": {
      const attributes = outcome.event.attributes;
      metrics.addMetric(outcome.unrouted ? EDGE_METRICS.unrouted : EDGE_METRICS.queued, MetricUnit.Count, 1);
      const entry = { provider, type: attributes.type, source: attributes.source, queues: outcome.queues };
      if (outcome.unrouted) logger.warn("event matched no route", entry);
      else logger.info("event queued", { ...entry, claimChecked: outcome.claimChecked });
      return;
    }
    case "answered":
      metrics.addMetric(EDGE_METRICS.answered, MetricUnit.Count, 1);
      logger.info("handshake answered", { provider, reason: outcome.handshake });
      return;
    case "rejected": {
      const single = metrics.singleMetric();
      single.addDimension(METRIC_DIMENSIONS.reason, outcome.errorCode);
      single.addMetric(EDGE_METRICS.rejected, MetricUnit.Count, 1);
      logger.warn("request rejected", { provider, reason: outcome.errorCode });
      return;
    }
    case "failed":
      metrics.addMetric(EDGE_METRICS.failed, MetricUnit.Count, 1);
      logger.error("request failed", { provider, reason: outcome.errorCode, error: outcome.error as Error });
      return;
  }
}
