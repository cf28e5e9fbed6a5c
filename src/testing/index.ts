/**
 * The test kit, imported as `webhook-gateway/testing`: deliver recorded fixtures through the real
 * edge to your listeners, in process, against fakes of the GitHub and Slack APIs.
 *
 * @example
 * import { createTestKit } from "webhook-gateway/testing";
 * const kit = await createTestKit({ github: registerGitHubListeners });
 * const delivery = await kit.deliver("fixtures/github/issues.opened.json");
 */
export type { FailureDetails } from "../consumers/errors";
export type { GitHubListeners } from "../consumers/shipped/github";
export type { SlackListeners } from "../consumers/shipped/slack";
export type { Consumer, ConsumerFilter } from "../consumers/types";
export type { GatewayEvent } from "../contract/event";
export type { Fixture } from "../fixtures/fixture";
export { loadFixture, loadFixtures } from "../fixtures/load";
export { type GithubApiFake, type RecordedRequest, startGithubApiFake } from "./github-api-fake";
export {
  type ConsumerResult,
  createTestKit,
  type DeliverOptions,
  type Delivery,
  deliver,
  type TestKit,
  type TestKitOptions,
} from "./kit";
export type { KitListeners } from "./kit-consumers";
export { KIT_SECRETS } from "./memory-edge";
export { MemoryIdempotencyStore } from "./memory-idempotency";
export {
  type ResponseUrlCall,
  type SlackApiCall,
  type SlackApiFake,
  startSlackApiFake,
} from "./slack-api-fake";
