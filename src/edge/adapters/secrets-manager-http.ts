/**
 * Secrets Manager's `GetSecretValue` without the Secrets Manager SDK client: one AWS JSON 1.1
 * request, signed (SigV4) and sent with what the edge's SQS client has already loaded and
 * resolved — its HTTP handler (timeouts, keep-alive agent), credential provider chain, region,
 * FIPS and dual-stack settings and SHA-256. The cold start then loads no second client, and the
 * credentials the secret read resolves are the ones the first SQS send uses.
 */
import { partition } from "@aws-sdk/core/client";
import { getEndpointFromInstructions } from "@smithy/core/endpoints";
import { SignatureV4 } from "@smithy/signature-v4";
import type {
  AwsCredentialIdentityProvider,
  ChecksumConstructor,
  EndpointParameterInstructions,
  EndpointParameters,
  EndpointV2,
  HashConstructor,
  HttpRequest,
  HttpResponse,
} from "@smithy/types";
import { CodedError } from "../../shared/errors";
import { parseSecretValue } from "../../shared/secrets";

/** What a signed call borrows from an SDK client that is already built (see {@link awsCallContext}). */
export interface AwsCallContext {
  handler: { handle(request: HttpRequest): Promise<{ response: HttpResponse }> };
  credentials: AwsCredentialIdentityProvider;
  region: () => Promise<string>;
  useFipsEndpoint: () => Promise<boolean>;
  useDualstackEndpoint: () => Promise<boolean>;
  sha256: ChecksumConstructor | HashConstructor;
  /** Reads a response body (the SDK's `streamCollector`). */
  collect: (body: unknown) => Promise<Uint8Array>;
}

/** The resolved configuration of an AWS SDK v3 client (`client.config`), as far as a signed call needs it. */
export interface ResolvedClientConfig {
  requestHandler: unknown;
  credentials: AwsCredentialIdentityProvider;
  region: () => Promise<string>;
  useFipsEndpoint: () => Promise<boolean>;
  useDualstackEndpoint: () => Promise<boolean>;
  sha256: ChecksumConstructor | HashConstructor;
  streamCollector: (body: never) => Promise<Uint8Array>;
}

/**
 * The call context of a built SDK client: its handler, credentials, region and endpoint settings.
 *
 * @example
 * const context = awsCallContext(sqs.config);
 */
export function awsCallContext(config: ResolvedClientConfig): AwsCallContext {
  return {
    handler: config.requestHandler as AwsCallContext["handler"],
    credentials: config.credentials,
    region: config.region,
    useFipsEndpoint: config.useFipsEndpoint,
    useDualstackEndpoint: config.useDualstackEndpoint,
    sha256: config.sha256,
    collect: config.streamCollector as AwsCallContext["collect"],
  };
}

/**
 * `GetSecretValue` failed: Secrets Manager's error type and HTTP status, or the network error as
 * `cause`. The message names the secret id and the error type, never a secret value.
 */
export class SecretsManagerCallError extends CodedError {
  constructor(
    readonly secretId: string,
    readonly errorType: string,
    readonly statusCode: number | undefined,
    options?: ErrorOptions,
  ) {
    super(
      "secrets_manager_call_failed",
      `GetSecretValue for ${secretId} failed: ${errorType}${statusCode ? ` (HTTP ${statusCode})` : ""}`,
      options,
    );
  }

  /** Worth another attempt: throttled, a server-side error, or no answer at all. */
  get retryable(): boolean {
    return this.statusCode === undefined || this.statusCode >= 500 || RETRYABLE_TYPES.has(this.errorType);
  }
}

/** The endpoint configuration is invalid (the SDK's own messages: FIPS with a custom endpoint, …). */
export class SecretsManagerEndpointError extends CodedError {
  constructor(message: string) {
    super("secrets_manager_endpoint", message);
  }
}

const SERVICE_ID = "Secrets Manager";
const SIGNING_NAME = "secretsmanager";
const TARGET = "secretsmanager.GetSecretValue";
const CONTENT_TYPE = "application/x-amz-json-1.1";
const MAX_ATTEMPTS = 3;
const RETRYABLE_TYPES = new Set([
  "ThrottlingException",
  "TooManyRequestsException",
  "RequestTimeout",
  "InternalServiceError",
]);
/** Secrets Manager's endpoint parameters, read as its SDK client reads them. */
const ENDPOINT_PARAMETERS = {
  getEndpointParameterInstructions: (): EndpointParameterInstructions => ({
    UseFIPS: { type: "builtInParams", name: "useFipsEndpoint" },
    Endpoint: { type: "builtInParams", name: "endpoint" },
    Region: { type: "builtInParams", name: "region" },
    UseDualStack: { type: "builtInParams", name: "useDualstackEndpoint" },
  }),
};

interface SecretsManagerEndpointParameters extends EndpointParameters {
  Region?: string;
  UseFIPS?: boolean;
  UseDualStack?: boolean;
  Endpoint?: string;
}

/**
 * Secrets Manager's endpoint rules (its SDK client's ruleset, written out): a configured endpoint
 * as is, else `secretsmanager[-fips].<region>.<partition suffix>`, with the partition's
 * dual-stack suffix, and `amazonaws.com[.cn]` where the service's dual-stack names keep it.
 *
 * @example
 * secretsManagerEndpointRules({ Region: "eu-west-1" }).url.href // "https://secretsmanager.eu-west-1.amazonaws.com/"
 */
export function secretsManagerEndpointRules(params: SecretsManagerEndpointParameters): EndpointV2 {
  const {
    Region: region,
    UseFIPS: fips = false,
    UseDualStack: dualStack = false,
    Endpoint: endpoint,
  } = params;
  if (endpoint !== undefined) {
    if (fips)
      throw new SecretsManagerEndpointError(
        "Invalid Configuration: FIPS and custom endpoint are not supported",
      );
    if (dualStack) {
      throw new SecretsManagerEndpointError(
        "Invalid Configuration: Dualstack and custom endpoint are not supported",
      );
    }
    return { url: new URL(endpoint) };
  }
  if (!region) throw new SecretsManagerEndpointError("Invalid Configuration: Missing Region");
  const p = partition(region);
  const https = (host: string) => ({ url: new URL(`https://${host}`) });
  const keepsAmazonaws = p.name === "aws" || p.name === "aws-us-gov";
  if (fips && dualStack) {
    if (!p.supportsFIPS || !p.supportsDualStack) {
      throw new SecretsManagerEndpointError(
        "FIPS and DualStack are enabled, but this partition does not support one or both",
      );
    }
    return https(`secretsmanager-fips.${region}.${keepsAmazonaws ? "amazonaws.com" : p.dualStackDnsSuffix}`);
  }
  if (fips) {
    if (!p.supportsFIPS)
      throw new SecretsManagerEndpointError("FIPS is enabled but this partition does not support FIPS");
    return https(`secretsmanager-fips.${region}.${p.dnsSuffix}`);
  }
  if (dualStack) {
    if (!p.supportsDualStack) {
      throw new SecretsManagerEndpointError(
        "DualStack is enabled but this partition does not support DualStack",
      );
    }
    const suffix = keepsAmazonaws
      ? "amazonaws.com"
      : p.name === "aws-cn"
        ? "amazonaws.com.cn"
        : p.dualStackDnsSuffix;
    return https(`secretsmanager.${region}.${suffix}`);
  }
  return https(`secretsmanager.${region}.${p.dnsSuffix}`);
}

/**
 * Where Secrets Manager is for this context, resolved as its SDK client resolves it: a configured
 * endpoint first (`AWS_ENDPOINT_URL_SECRETS_MANAGER`, `AWS_ENDPOINT_URL`, the shared config file),
 * then the region with the FIPS and dual-stack settings.
 *
 * @example
 * (await secretsManagerEndpoint(awsCallContext(sqs.config))).href // "https://secretsmanager.us-east-1.amazonaws.com/"
 */
export async function secretsManagerEndpoint(context: AwsCallContext): Promise<URL> {
  const endpoint = await getEndpointFromInstructions({}, ENDPOINT_PARAMETERS, {
    serviceId: SERVICE_ID,
    isCustomEndpoint: false,
    ignoreConfiguredEndpointUrls: false,
    region: context.region,
    useFipsEndpoint: context.useFipsEndpoint,
    useDualstackEndpoint: context.useDualstackEndpoint,
    endpointProvider: secretsManagerEndpointRules,
  });
  return endpoint.url;
}

/** Reads one secret's value; see {@link secretsManagerReader}. */
export type SecretReader = (secretId: string) => Promise<string[]>;

/**
 * A reader of webhook secrets over signed `GetSecretValue` calls in `context`: the endpoint and
 * the signer are resolved once; each read makes up to three attempts (throttling, server errors,
 * no answer). The value is parsed as {@link parseSecretValue} does; a secret without a value
 * (`ResourceNotFoundException`: the stack creates them empty) reads as an empty list.
 *
 * @example
 * const read = secretsManagerReader(awsCallContext(sqs.config));
 * await read("arn:aws:secretsmanager:…:secret:gw/github-webhook-secret") // ["s3cret"]
 */
export function secretsManagerReader(
  context: AwsCallContext,
  options: { retryDelayMs?: (attempt: number) => number } = {},
): SecretReader {
  let prepared: Promise<{ url: URL; signer: SignatureV4 }> | undefined;
  const prepare = () => {
    prepared ??= (async () => {
      const url = await secretsManagerEndpoint(context);
      const signer = new SignatureV4({
        service: SIGNING_NAME,
        region: context.region,
        credentials: context.credentials,
        sha256: context.sha256,
        uriEscapePath: true,
      });
      return { url, signer };
    })();
    // A failure (no region, say) is not kept: the next read resolves again.
    prepared.catch(() => {
      prepared = undefined;
    });
    return prepared;
  };
  const delay = options.retryDelayMs ?? backoffMs;
  return async (secretId) => {
    const { url, signer } = await prepare();
    for (let attempt = 1; ; attempt++) {
      try {
        return await getSecretValue(context, signer, url, secretId);
      } catch (error) {
        if (!(error instanceof SecretsManagerCallError) || !error.retryable || attempt >= MAX_ATTEMPTS)
          throw error;
        await new Promise((resolve) => setTimeout(resolve, delay(attempt)));
      }
    }
  };
}

/** The SDK's standard backoff: full jitter over 100 ms × 2^(attempt − 1). */
function backoffMs(attempt: number): number {
  return Math.random() * 100 * 2 ** (attempt - 1);
}

/** The unsigned `GetSecretValue` request for `secretId` at `url`. */
export function getSecretValueRequest(url: URL, secretId: string): HttpRequest {
  const body = JSON.stringify({ SecretId: secretId });
  const port = url.port ? Number(url.port) : undefined;
  return {
    protocol: url.protocol,
    hostname: url.hostname,
    port,
    method: "POST",
    path: url.pathname,
    query: {},
    headers: {
      host: url.host,
      "content-type": CONTENT_TYPE,
      "content-length": String(Buffer.byteLength(body)),
      "x-amz-target": TARGET,
    },
    body,
  };
}

async function getSecretValue(
  context: AwsCallContext,
  signer: SignatureV4,
  url: URL,
  secretId: string,
): Promise<string[]> {
  const signed = (await signer.sign(getSecretValueRequest(url, secretId))) as HttpRequest;
  let response: HttpResponse;
  let text: string;
  try {
    ({ response } = await context.handler.handle(signed));
    text = Buffer.from(await context.collect(response.body)).toString("utf8");
  } catch (cause) {
    throw new SecretsManagerCallError(secretId, errorName(cause), undefined, { cause });
  }
  if (response.statusCode >= 200 && response.statusCode < 300)
    return secretValues(secretId, text, response.statusCode);
  const type = errorType(response, text);
  // A secret created without a value has no AWSCURRENT version yet.
  if (type === "ResourceNotFoundException") return [];
  throw new SecretsManagerCallError(secretId, type, response.statusCode);
}

/** The secrets in a successful answer. A body that is not JSON is refused without its text (it may hold the secret). */
function secretValues(secretId: string, text: string, statusCode: number): string[] {
  let value: unknown;
  try {
    value = (JSON.parse(text) as { SecretString?: unknown }).SecretString;
  } catch {
    throw new SecretsManagerCallError(secretId, "InvalidResponse", statusCode);
  }
  return parseSecretValue(typeof value === "string" ? value : "");
}

/** An error response's type, as the SDK reads it: the `x-amzn-errortype` header, else `__type`, shortened. */
function errorType(response: HttpResponse, text: string): string {
  const header = Object.entries(response.headers).find(
    ([name]) => name.toLowerCase() === "x-amzn-errortype",
  )?.[1];
  let type = header;
  if (!type) {
    try {
      const body = JSON.parse(text) as { __type?: unknown; code?: unknown };
      type =
        typeof body.__type === "string" ? body.__type : typeof body.code === "string" ? body.code : undefined;
    } catch {
      type = undefined;
    }
  }
  // "aws.protocoltests#Name:http://…" → "Name"
  const short = type?.split(":")[0]?.split("#").pop();
  return short && /^[A-Za-z0-9_.]+$/.test(short) ? short : "UnknownError";
}

/** A network error's name or code (never its message: it may quote the request). */
function errorName(error: unknown): string {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  const value = typeof code === "string" ? code : typeof name === "string" ? name : "NetworkError";
  return /^[A-Za-z0-9_.]+$/.test(value) ? value : "NetworkError";
}
