import type { IncomingMessage, ServerResponse } from "node:http";
import type { SqsConsumerHandler } from "../consumers/types";

/** The emulators' endpoints, as the runtime's clients would reach them. */
export interface LocalEndpoints {
  sqs: string;
  dynamodb: string;
}

/**
 * Faults a test tool injects into a running local runtime (the soak's `soak/faults.ts`): the
 * runtime only calls these seams, and never knows what is behind them.
 */
export interface LocalFaults {
  /** The endpoints the clients use instead of the emulators' own (e.g. through TCP proxies). */
  endpoints: LocalEndpoints;
  /** A consumer's handler, wrapped to fail some records before the real handler sees them. */
  wrapHandler(consumer: string, handler: SqsConsumerHandler): SqsConsumerHandler;
  /** Serves a request of the runtime's HTTP server when it is the tool's own; false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  stop(): Promise<void>;
}

/**
 * Starts the faults once the emulators run, given their endpoints and the runtime's log.
 *
 * @example
 * await startLocalRuntime({ faults: async (endpoints) => ({ endpoints, wrapHandler: (_, h) => h, handle: () => false, stop: async () => {} }) });
 */
export type LocalFaultHook = (endpoints: LocalEndpoints, log: (line: string) => void) => Promise<LocalFaults>;

/** No faults: the emulators' own endpoints, handlers untouched, no extra route. */
export function noFaults(endpoints: LocalEndpoints): LocalFaults {
  return {
    endpoints,
    wrapHandler: (_, handler) => handler,
    handle: () => false,
    stop: async () => undefined,
  };
}
