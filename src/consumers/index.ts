/**
 * Downstream side: the consumer framework, the shipped consumers and the archive's queries.
 * The local runtime imports from here; Lambda handlers import the narrower modules directly.
 */

export { ARCHIVE_INDEXES } from "../contract/tables";
export { createArchiveConsumer } from "./archive";
export { type ArchivedEvent, ArchiveStore, type ListEventsQuery } from "./archive-store";
export { type ConsumerLambdaConfig, loadConsumerLambdaConfig } from "./config";
export { type ConsumerHandlerOptions, createConsumerHandler } from "./consumer-handler";
export { ClaimCheckError, ConsumerError, InvalidEventError } from "./errors";
export { compileFilter } from "./filter";
export { createGitHubConsumer, githubEventName, toWebhookEvent } from "./github";
export {
  configuredGitHubCredentials,
  createGitHubWebhooks,
  createOctokitFactory,
  GitHubAuthError,
  type GitHubCredentials,
  type GitHubListenerContext,
  type GitHubWebhooks,
} from "./github-auth";
export { DEFAULT_IDEMPOTENCY_TTL_SECONDS, idempotencyKey } from "./idempotency";
export { createNotifierConsumer } from "./notifier";
export { NOTIFIED_TYPES, notificationFor } from "./notifier-messages";
export { type ProcessingState, type ProcessingStatus, processingState } from "./processing-state";
export { type ShippedConsumersOptions, shippedConsumers } from "./registry";
export type { ShippedConsumer, ShippedDeps } from "./shipped/deps";
export { createSlackApp, createSlackConsumer } from "./slack";
export { QueueReceiver } from "./slack-receiver";
export { configuredSlackToken, requireSlackToken, slackTokenSource } from "./slack-token";
export { createArchiveTable, createIdempotencyTable } from "./tables";
export type { Consumer, ConsumerContext, ConsumerFilter, RecordOutcome, SqsConsumerHandler } from "./types";
