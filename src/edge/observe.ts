import type { Context } from "aws-lambda";
import { EDGE_METRICS, METRIC_DIMENSIONS } from "../contract/metrics";
import { COUNT, type EdgeMetrics } from "./emf";
import type { Outcome } from "./gateway";
import type { EdgeLogger } from "./lazy-logger";

/** Powertools' level thresholds (a logger prints a line when its `level` is at most the line's). */
const LEVEL = { info: 12, warn: 16, error: 20 } as const;

/**
 * Logs and counts one request's outcome: `Received`, `Rejected` (by reason), `Queued`,
 * `Answered`, `Failed`, `Unrouted`. Logs carry ids and types, never secrets or payloads. A line
 * the logger's level would drop costs nothing: its Lambda context, correlation id and attributes
 * are only built for a line that is printed (then the caller resets the keys: see the result).
 *
 * @example
 * const logged = observe(outcome, logger, metrics, context);
 * if (logged) logger.resetKeys();
 * @returns whether a line was logged (and keys were added to the logger).
 */
export function observe(
  outcome: Outcome,
  logger: EdgeLogger,
  metrics: EdgeMetrics,
  context?: Context,
): boolean {
  const provider = outcome.provider ?? "none";
  const logs = (level: keyof typeof LEVEL) => {
    if (logger.level > LEVEL[level]) return false;
    if (context) logger.addContext(context);
    if ("eventId" in outcome && outcome.eventId) logger.setCorrelationId(outcome.eventId);
    return true;
  };
  metrics.addMetric(EDGE_METRICS.received, COUNT, 1);
  switch (outcome.status) {
    case "queued": {
      const attributes = outcome.event.attributes;
      metrics.addMetric(outcome.unrouted ? EDGE_METRICS.unrouted : EDGE_METRICS.queued, COUNT, 1);
      if (!logs(outcome.unrouted ? "warn" : "info")) return false;
      const entry = { provider, type: attributes.type, source: attributes.source, queues: outcome.queues };
      if (outcome.unrouted) logger.warn("event matched no route", entry);
      else logger.info("event queued", { ...entry, claimChecked: outcome.claimChecked });
      return true;
    }
    case "answered":
      metrics.addMetric(EDGE_METRICS.answered, COUNT, 1);
      if (!logs("info")) return false;
      logger.info("handshake answered", { provider, reason: outcome.handshake });
      return true;
    case "rejected": {
      const single = metrics.singleMetric();
      single.addDimension(METRIC_DIMENSIONS.reason, outcome.errorCode);
      single.addMetric(EDGE_METRICS.rejected, COUNT, 1);
      if (!logs("warn")) return false;
      logger.warn("request rejected", { provider, reason: outcome.errorCode });
      return true;
    }
    case "failed":
      metrics.addMetric(EDGE_METRICS.failed, COUNT, 1);
      if (!logs("error")) return false;
      logger.error("request failed", { provider, reason: outcome.errorCode, error: outcome.error as Error });
      return true;
  }
}
