import type { Logger as PowertoolsLogger } from "@aws-lambda-powertools/logger";
import { LogLevel, type Logger as SlackLogger, type webApi } from "@slack/bolt";

/**
 * Web API client options for a queue consumer: a failed call fails the record and SQS retries it
 * later, so the client retries briefly instead of sleeping through a rate limit inside a Lambda
 * invocation (the default policy retries for up to 30 minutes).
 *
 * @example
 * new webApi.WebClient(token, slackClientOptions({ slackApiUrl: "http://127.0.0.1:4000/api/" }))
 */
export function slackClientOptions(
  options: { slackApiUrl?: string; logger?: SlackLogger } = {},
): webApi.WebClientOptions {
  return {
    ...(options.slackApiUrl && { slackApiUrl: withApiSlash(options.slackApiUrl) }),
    ...(options.logger && { logger: options.logger }),
    retryConfig: { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 1000 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
  };
}

/** WebClient joins method names onto the base URL, which must end with a slash. */
function withApiSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

/**
 * Routes Bolt's and the Web API client's logs to a Powertools logger (structured, correlated).
 *
 * @example
 * new App({ receiver, authorize, logger: slackLogger(logger) })
 */
export function slackLogger(logger: PowertoolsLogger): SlackLogger {
  const text = (parts: unknown[]) =>
    parts.map((part) => (typeof part === "string" ? part : String(part))).join(" ");
  return {
    debug: (...parts) => logger.debug(text(parts)),
    info: (...parts) => logger.info(text(parts)),
    warn: (...parts) => logger.warn(text(parts)),
    error: (...parts) => logger.error(text(parts)),
    setLevel: () => undefined,
    getLevel: () => LogLevel.DEBUG,
    setName: () => undefined,
  };
}
