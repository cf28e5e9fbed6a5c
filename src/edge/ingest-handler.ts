import type { Context, LambdaFunctionURLEvent, LambdaFunctionURLResult } from "aws-lambda";
import { fromFunctionUrlEvent, toFunctionUrlResult } from "./adapters/function-url";
import { createIngestApp, type IngestAppOptions, type IngestClients } from "./app";
import type { IngestConfig } from "./config";
import type { EdgeMetrics } from "./emf";
import type { Outcome } from "./gateway";
import type { EdgeLogger } from "./lazy-logger";
import { observe } from "./observe";

/** The edge as a function URL handler (payload format 2.0). */
export type IngestHandler = (
  event: LambdaFunctionURLEvent,
  context: Context,
) => Promise<LambdaFunctionURLResult>;

export interface IngestHandlerOptions {
  /** Read once, at cold start: `loadIngestConfig(process.env)` in Lambda, explicit values locally. */
  config: IngestConfig;
  clients: IngestClients;
  /** A Powertools `Logger`, or one built on its first line (`lazyLogger`). */
  logger: EdgeLogger;
  /** The edge's EMF writer (`emfMetrics`), or any Powertools `Metrics` (the local runtime's `SilentMetrics`). */
  metrics: EdgeMetrics;
  /** Called with every request's outcome after it is logged and counted (the local runtime's lines). */
  onOutcome?: (outcome: Outcome) => void;
  /** Adapter overrides (benchmarks use an in-memory queue). */
  app?: IngestAppOptions;
}

/**
 * Builds the edge's function URL handler from an explicit configuration, its clients, its logger
 * and its metrics: each request goes through the core, then is logged and counted
 * (`observe`), then reported to `onOutcome`. Shared by `handlers/ingest.ts` and the local runtime.
 *
 * @example
 * const config = loadIngestConfig(process.env);
 * export const handler = createIngestHandler({
 *   config, clients: createIngestClients(config), logger: new Logger(), metrics: emfMetrics(options, process.env),
 * });
 */
export function createIngestHandler(options: IngestHandlerOptions): IngestHandler {
  const { logger, metrics, onOutcome } = options;
  const gateway = createIngestApp(options.config, options.clients, options.app);
  return async (event, context) => {
    let logged = false;
    try {
      const { response, outcome } = await gateway(fromFunctionUrlEvent(event));
      // The Lambda context and correlation id go on the logger only for a line it prints.
      logged = observe(outcome, logger, metrics, context);
      onOutcome?.(outcome);
      return toFunctionUrlResult(response);
    } finally {
      metrics.publishStoredMetrics();
      if (logged) logger.resetKeys();
    }
  };
}
