/**
 * The one base of every error the project throws on purpose: a stable, machine-readable `code`
 * (snake_case, safe to log and to use as a metric dimension) and the standard `cause`.
 * Units subclass it (`GatewayError` for the edge's HTTP refusals, `ConsumerError`, `UsageError`, …);
 * a bare `Error` is left only for programming invariants that no user can cause.
 *
 * @example
 * class QueueNotFoundError extends CodedError {
 *   constructor(name: string) { super("queue_not_found", `queue ${name} not found`); }
 * }
 * error instanceof CodedError && error.code // "queue_not_found"
 */
export class CodedError extends Error {
  /** Machine-readable reason, snake_case, safe to log. */
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * Every refusal the gateway can give, as typed errors that carry their HTTP status.
 *
 * The edge never builds a status with `if` chains: it throws one of these and the gateway's
 * `failure` turns it into the answer. `code` is the stable, machine-readable
 * reason that appears in the body (`{"error": code}`), in logs and in the `rejected` metric.
 */
export class GatewayError extends CodedError {
  /** HTTP status of the answer. */
  readonly statusCode: number;
  /** Extra response headers (for example `Allow`). */
  readonly headers: Readonly<Record<string, string>>;
  /** Extra, non-secret fields added to the JSON body. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: string,
    statusCode: number,
    message: string,
    options: { cause?: unknown; headers?: Record<string, string>; details?: Record<string, unknown> } = {},
  ) {
    super(code, message, { cause: options.cause });
    this.statusCode = statusCode;
    this.headers = options.headers ?? {};
    this.details = options.details ?? {};
  }

  /** Permanent failures are 4xx: retrying the same request cannot succeed. */
  get permanent(): boolean {
    return this.statusCode < 500;
  }
}

export class NotFoundError extends GatewayError {
  constructor() {
    super("not_found", 404, "No such endpoint");
  }
}

export class MethodNotAllowedError extends GatewayError {
  constructor() {
    super("method_not_allowed", 405, "Only POST is accepted", { headers: { allow: "POST" } });
  }
}

export class UnsupportedMediaTypeError extends GatewayError {
  constructor(accepted: readonly string[]) {
    super("unsupported_media_type", 415, `Content type must be one of ${accepted.join(", ")}`, {
      details: { accepted },
    });
  }
}

export class MissingHeadersError extends GatewayError {
  constructor(readonly missing: readonly string[]) {
    super("missing_headers", 400, `Missing required headers: ${missing.join(", ")}`, {
      details: { headers: missing },
    });
  }
}

export class InvalidSignatureError extends GatewayError {
  constructor(reason = "invalid_signature") {
    super(reason, 401, "Signature verification failed");
  }
}

export class InvalidBodyError extends GatewayError {
  constructor(reason: string, cause?: unknown) {
    super("invalid_body", 400, `Body rejected: ${reason}`, { cause, details: { reason } });
  }
}

export class PayloadTooLargeError extends GatewayError {
  constructor(limit: number) {
    super("payload_too_large", 413, `Body exceeds ${limit} bytes`, { details: { limit } });
  }
}

/** A queue (or the claim-check store) did not accept the event in time. */
export class QueueUnavailableError extends GatewayError {
  constructor(message: string, cause?: unknown) {
    super("queue_unavailable", 503, message, { cause });
  }
}

/** Configuration is missing or malformed; raised at cold start, never per request. */
export class ConfigError extends CodedError {
  constructor(
    readonly variable: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super("invalid_config", `${variable}: ${message}`, options);
  }
}

/** The webhook secrets could not be loaded (Secrets Manager unreachable at cold start). */
export class SecretsUnavailableError extends GatewayError {
  constructor(cause?: unknown) {
    super("secrets_unavailable", 503, "Webhook secrets are not available", { cause });
  }
}
