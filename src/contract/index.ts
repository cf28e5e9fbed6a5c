/**
 * The contract: everything that crosses a deployment unit (edge, consumers, scheduled redelivery,
 * stack, local runtime, command line). No AWS SDK and no cdktf here; every other folder imports
 * these values instead of repeating them (test/unit/contract/single-source.test.ts keeps it so).
 *
 * - event.ts, parse-event.ts, errors.ts: the event format, its parser and the error it throws;
 * - routing.ts: route patterns and the consumer-name rule;
 * - fifo.ts, github-source.ts, uri.ts: an event's source, FIFO message group and deduplication id;
 * - environment.ts: environment variable names; metrics.ts: metric names and namespace;
 * - limits.ts: sizes, durations, the claim-check key and the visibility-timeout rule;
 * - tables.ts: DynamoDB keys and indexes; notifier.ts: the notifier's event types.
 */
export { ENV, type EnvName } from "./environment";
export { InvalidEventError } from "./errors";
export * from "./event";
export { eventGroupKey, type FifoMessageIds, fifoMessageIds, fifoToken, slackGroupKey } from "./fifo";
export { githubSource } from "./github-source";
export * from "./limits";
export * from "./metrics";
export { NOTIFIED_TYPES, NOTIFIER_EVENT_TYPES } from "./notifier";
export { parseEventBody } from "./parse-event";
export * from "./routing";
export * from "./tables";
export { uriSafe } from "./uri";
