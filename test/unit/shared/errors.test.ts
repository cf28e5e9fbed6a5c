import { CommandError, MissingVariableError, UsageError } from "../../../src/cli/errors";
import { GatewayConfigError } from "../../../src/config/validate";
import { ClaimCheckError, ConsumerError, InvalidEventError } from "../../../src/consumers/errors";
import { BodyTooLargeError } from "../../../src/local/function-url";
import { FunctionTimeoutError } from "../../../src/local/lambda/event-source-mapping";
import { InvalidRepoError, RedeliveryFailedError } from "../../../src/redelivery/errors";
import {
  CodedError,
  ConfigError,
  GatewayError,
  InvalidBodyError,
  InvalidSignatureError,
  MethodNotAllowedError,
  MissingHeadersError,
  NotFoundError,
  PayloadTooLargeError,
  QueueUnavailableError,
  SecretsUnavailableError,
  UnsupportedMediaTypeError,
} from "../../../src/shared/errors";
import { BundleError } from "../../../stacks/bundle";
import { MissingBundleError } from "../../../stacks/constructs/lambda-bundle";

// Every error class the project defines, with the code and HTTP status (if any) it must carry.
const CASES: [string, () => Error, string, number | undefined][] = [
  ["GatewayError", () => new GatewayError("teapot", 418, "no"), "teapot", 418],
  ["NotFoundError", () => new NotFoundError(), "not_found", 404],
  ["MethodNotAllowedError", () => new MethodNotAllowedError(), "method_not_allowed", 405],
  ["UnsupportedMediaTypeError", () => new UnsupportedMediaTypeError(["a/b"]), "unsupported_media_type", 415],
  ["MissingHeadersError", () => new MissingHeadersError(["x"]), "missing_headers", 400],
  ["InvalidSignatureError", () => new InvalidSignatureError(), "invalid_signature", 401],
  ["InvalidBodyError", () => new InvalidBodyError("empty"), "invalid_body", 400],
  ["PayloadTooLargeError", () => new PayloadTooLargeError(1), "payload_too_large", 413],
  ["QueueUnavailableError", () => new QueueUnavailableError("down"), "queue_unavailable", 503],
  ["SecretsUnavailableError", () => new SecretsUnavailableError(), "secrets_unavailable", 503],
  ["BodyTooLargeError", () => new BodyTooLargeError(1), "payload_too_large", 413],
  ["ConfigError", () => new ConfigError("X", "is required"), "invalid_config", undefined],
  ["GatewayConfigError", () => new GatewayConfigError("bad"), "invalid_gateway_config", undefined],
  ["ConsumerError", () => new ConsumerError("c", "m"), "c", undefined],
  ["InvalidEventError", () => new InvalidEventError("not_json"), "invalid_event_not_json", undefined],
  ["ClaimCheckError", () => new ClaimCheckError("id_mismatch"), "claim_check_id_mismatch", undefined],
  ["UsageError", () => new UsageError("bad flag"), "usage", undefined],
  ["CommandError", () => new CommandError("queue_not_found", "m"), "queue_not_found", undefined],
  ["MissingVariableError", () => new MissingVariableError("T", "a token"), "missing_variable", undefined],
  ["InvalidRepoError", () => new InvalidRepoError("nope"), "invalid_repo", undefined],
  ["RedeliveryFailedError", () => new RedeliveryFailedError(2), "redelivery_failed", undefined],
  ["FunctionTimeoutError", () => new FunctionTimeoutError(1000), "function_timeout", undefined],
  ["MissingBundleError", () => new MissingBundleError("dist/x/index.js"), "missing_bundle", undefined],
  ["BundleError", () => new BundleError("bundle_name_clash", "m"), "bundle_name_clash", undefined],
];

test.each(CASES)("%s is a CodedError with its code and status", (name, create, code, status) => {
  const error = create();

  expect(error).toBeInstanceOf(CodedError);
  expect(error).toBeInstanceOf(Error);
  expect([error.name, (error as CodedError).code]).toEqual([name, code]);
  expect(error instanceof GatewayError ? error.statusCode : undefined).toBe(status);
});

test("only the edge's refusals are GatewayErrors, so only they become HTTP answers", () => {
  expect(new ConfigError("X", "m")).not.toBeInstanceOf(GatewayError);
  expect(new ConsumerError("c", "m")).not.toBeInstanceOf(GatewayError);
  expect(new UsageError("m")).not.toBeInstanceOf(GatewayError);
});

test("the cause is kept through the standard ErrorOptions", () => {
  const cause = new Error("socket hang up");

  expect(new QueueUnavailableError("down", cause).cause).toBe(cause);
  expect(new UsageError("bad", { cause }).cause).toBe(cause);
  expect(new ConfigError("X", "m", { cause }).cause).toBe(cause);
  expect(new ConsumerError("c", "m", { cause }).cause).toBe(cause);
});

test("the message names what went wrong", () => {
  expect(new ConfigError("IDEMPOTENCY_TABLE", "is required").message).toBe("IDEMPOTENCY_TABLE: is required");
  expect(new MissingVariableError("GITHUB_TOKEN", "a token").message).toBe(
    "GITHUB_TOKEN is not set (a token)",
  );
  expect(new InvalidRepoError("nope").message).toBe('--repo must look like owner/name, got "nope"');
});
