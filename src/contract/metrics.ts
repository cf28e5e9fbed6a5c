/**
 * CloudWatch metric names and dimensions (EMF: the edge's own writer, src/edge/emf.ts, prints what
 * Powertools prints; the consumers use Powertools) that the handlers publish and the stack's alarms
 * watch. Renaming one here renames it on both sides.
 */

/** Default `POWERTOOLS_METRICS_NAMESPACE` (the stack sets the configured one). */
export const METRICS_NAMESPACE = "WebhookGateway";

/** Default `POWERTOOLS_SERVICE_NAME` outside the stack (the stack sets the function name). */
export const SERVICE_NAME = "webhook-gateway";

/** The edge's metrics, one per request outcome (src/edge/observe.ts). */
export const EDGE_METRICS = {
  received: "Received",
  /** With a `reason` dimension (the error code, e.g. `invalid_signature`). */
  rejected: "Rejected",
  queued: "Queued",
  unrouted: "Unrouted",
  answered: "Answered",
  failed: "Failed",
} as const;

/** The consumers' metrics, one per record outcome, with a `consumer` dimension. */
export const CONSUMER_METRICS = {
  processed: "Processed",
  failed: "Failed",
  duplicate: "DuplicateSkipped",
  filtered: "Filtered",
} as const;

/** Metric dimensions. `service` is Powertools' own (the service name). */
export const METRIC_DIMENSIONS = {
  service: "service",
  reason: "reason",
  consumer: "consumer",
} as const;
