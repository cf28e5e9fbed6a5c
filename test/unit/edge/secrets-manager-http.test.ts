/**
 * The edge's signed GetSecretValue calls (no Secrets Manager SDK client): against the Secrets
 * Manager fake for the request itself (target, content type, a valid SigV4 signature for
 * `secretsmanager`), and against a scripted server for failures: typed errors, retries, and no
 * secret value in any error. The endpoint rules are checked against the SDK's own resolver.
 */
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";
import { SignatureV4 } from "@smithy/signature-v4";
import type { EndpointV2 } from "@smithy/types";
import {
  awsCallContext,
  getSecretValueRequest,
  SecretsManagerCallError,
  SecretsManagerEndpointError,
  secretsManagerEndpoint,
  secretsManagerEndpointRules,
  secretsManagerReader,
} from "../../../src/edge/adapters/secrets-manager-http";
import { type SecretsManagerFake, startSecretsManagerFake } from "../../helpers/secrets-manager-fake";

const CREDENTIALS = {
  accessKeyId: "AKIDEDGETEST",
  secretAccessKey: "edge-test-secret-key",
  sessionToken: "edge-session",
};
const ENV_NAMES = [
  "AWS_ENDPOINT_URL_SECRETS_MANAGER",
  "AWS_ENDPOINT_URL",
  "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
  "AWS_CONFIG_FILE",
  "AWS_SHARED_CREDENTIALS_FILE",
  "AWS_PROFILE",
] as const;
const saved = Object.fromEntries(ENV_NAMES.map((name) => [name, process.env[name]]));
const clients: SQSClient[] = [];

/** An SQS client as the edge builds one: its config is what the reader borrows. */
function sqsClient(
  options: { region?: string; useFipsEndpoint?: boolean; useDualstackEndpoint?: boolean } = {},
) {
  const client = new SQSClient({ region: "us-east-1", credentials: CREDENTIALS, ...options });
  clients.push(client);
  return client;
}

beforeEach(() => {
  for (const name of ENV_NAMES) delete process.env[name];
  // No shared config file on this machine may configure an endpoint.
  process.env.AWS_CONFIG_FILE = "/nonexistent/aws-config";
  process.env.AWS_SHARED_CREDENTIALS_FILE = "/nonexistent/aws-credentials";
});

afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
  for (const name of ENV_NAMES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

describe("against the Secrets Manager fake", () => {
  let fake: SecretsManagerFake;
  beforeEach(async () => {
    fake = await startSecretsManagerFake();
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = fake.endpoint;
  });
  afterEach(() => fake.stop());

  test("reads a secret with one signed AWS JSON 1.1 GetSecretValue request", async () => {
    fake.create("gw/github-webhook-secret", '{"current":"new-s3cret","previous":"old-s3cret"}');
    const read = secretsManagerReader(awsCallContext(sqsClient().config));

    expect(await read("gw/github-webhook-secret")).toEqual(["new-s3cret", "old-s3cret"]);

    expect(fake.calls).toEqual([
      { operation: "GetSecretValue", input: { SecretId: "gw/github-webhook-secret" } },
    ]);
    const headers = fake.headers[0]!;
    expect(headers["x-amz-target"]).toBe("secretsmanager.GetSecretValue");
    expect(headers["content-type"]).toBe("application/x-amz-json-1.1");
    expect(headers["x-amz-security-token"]).toBe("edge-session");
    const body = JSON.stringify({ SecretId: "gw/github-webhook-secret" });
    expect(headers["x-amz-content-sha256"]).toBe(createHash("sha256").update(body).digest("hex"));
    const date = String(headers["x-amz-date"]);
    expect(headers.authorization).toBe(
      `AWS4-HMAC-SHA256 Credential=AKIDEDGETEST/${date.slice(0, 8)}/us-east-1/secretsmanager/aws4_request, ` +
        `SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-amz-target, ` +
        `Signature=${await expectedSignature(fake.endpoint, "gw/github-webhook-secret", date)}`,
    );
  });

  test("a secret created without a value, or absent, reads as an empty list", async () => {
    fake.create("gw/slack-signing-secret");
    const read = secretsManagerReader(awsCallContext(sqsClient().config));

    expect(await read("gw/slack-signing-secret")).toEqual([]);
    expect(await read("gw/never-created")).toEqual([]);
    expect(fake.calls.map((c) => c.operation)).toEqual(["GetSecretValue", "GetSecretValue"]);
  });

  test("a plain-string secret is one secret; an ARN is sent as the SecretId", async () => {
    fake.create("gw/github-webhook-secret", "only-s3cret");
    const arn = "arn:aws:secretsmanager:us-east-1:000000000000:secret:gw/github-webhook-secret-AbCdEf";
    const read = secretsManagerReader(awsCallContext(sqsClient().config));

    expect(await read(arn)).toEqual(["only-s3cret"]);
    expect(fake.calls[0]!.input).toEqual({ SecretId: arn });
  });
});

/** The signature SigV4 gives the request the reader sends, at `amzDate`. */
async function expectedSignature(endpoint: string, secretId: string, amzDate: string): Promise<string> {
  const signer = new SignatureV4({
    service: "secretsmanager",
    region: "us-east-1",
    credentials: CREDENTIALS,
    sha256: sqsClient().config.sha256,
  });
  const iso = `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13)}`;
  const signed = await signer.sign(getSecretValueRequest(new URL(endpoint), secretId), {
    signingDate: new Date(iso),
  });
  return String(signed.headers.authorization).replace(/^.*Signature=/, "");
}

describe("failures", () => {
  let server: Server;
  let answers: { status: number; body: string; headers?: Record<string, string> }[];
  let requests: number;
  const SECRET = "do-not-leak-s3cret";

  beforeEach(async () => {
    answers = [];
    requests = 0;
    server = createServer((request, response) => {
      request.resume();
      request.on("end", () => {
        requests++;
        const answer = answers.shift() ?? { status: 500, body: '{"__type":"InternalServiceError"}' };
        response.writeHead(answer.status, {
          "content-type": "application/x-amz-json-1.1",
          ...answer.headers,
        });
        response.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );

  const reader = () => secretsManagerReader(awsCallContext(sqsClient().config), { retryDelayMs: () => 0 });

  test("an access error is typed, not retried, and names the secret id and the error type", async () => {
    answers = [
      {
        status: 400,
        body: JSON.stringify({ __type: "AccessDeniedException", message: "not allowed" }),
        headers: { "x-amzn-errortype": "AccessDeniedException:http://internal.amazon.com/coral/" },
      },
    ];
    const error = await reader()("gw/github").catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SecretsManagerCallError);
    expect(error).toMatchObject({
      code: "secrets_manager_call_failed",
      errorType: "AccessDeniedException",
      statusCode: 400,
      retryable: false,
      message: "GetSecretValue for gw/github failed: AccessDeniedException (HTTP 400)",
    });
    expect(requests).toBe(1);
  });

  test("server errors and throttling are retried, three attempts in all", async () => {
    answers = [
      { status: 500, body: '{"__type":"InternalServiceError"}' },
      { status: 400, body: '{"__type":"com.amazonaws.secretsmanager#ThrottlingException"}' },
      { status: 200, body: JSON.stringify({ SecretString: "third-time" }) },
    ];
    expect(await reader()("gw/github")).toEqual(["third-time"]);
    expect(requests).toBe(3);

    requests = 0;
    answers = [];
    await expect(reader()("gw/github")).rejects.toMatchObject({
      errorType: "InternalServiceError",
      statusCode: 500,
    });
    expect(requests).toBe(3);
  });

  test("an answer that is not JSON is refused without quoting it (it may hold the secret)", async () => {
    answers = [{ status: 200, body: `{"SecretString": "${SECRET}"` }];
    const error = (await reader()("gw/github").catch((e: unknown) => e)) as SecretsManagerCallError;

    expect(error).toBeInstanceOf(SecretsManagerCallError);
    expect(error.errorType).toBe("InvalidResponse");
    expect(error.cause).toBeUndefined();
    const everything = `${error.message} ${error.stack} ${JSON.stringify(error)} ${String(error)}`;
    expect(everything).not.toContain(SECRET);
    expect(requests).toBe(1);
  });

  test("no answer at all is a typed, retried error with the network error as cause", async () => {
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = `http://127.0.0.1:${port}`;

    const error = (await reader()("gw/github").catch((e: unknown) => e)) as SecretsManagerCallError;

    expect(error).toBeInstanceOf(SecretsManagerCallError);
    expect(error).toMatchObject({ errorType: "ECONNREFUSED", statusCode: undefined, retryable: true });
    expect((error.cause as { code?: string }).code).toBe("ECONNREFUSED");
    server = createServer().listen(0);
  });
});

describe("the endpoint", () => {
  test("is the configured one first, as the SDK reads it", async () => {
    const context = awsCallContext(sqsClient().config);
    process.env.AWS_ENDPOINT_URL = "http://127.0.0.1:4566";
    expect((await secretsManagerEndpoint(context)).href).toBe("http://127.0.0.1:4566/");

    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = "http://127.0.0.1:9999";
    expect((await secretsManagerEndpoint(context)).href).toBe("http://127.0.0.1:9999/");

    process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS = "true";
    expect((await secretsManagerEndpoint(context)).href).toBe(
      "https://secretsmanager.us-east-1.amazonaws.com/",
    );
  });

  test("follows the client's region, FIPS and dual-stack settings", async () => {
    const endpoint = async (options: Parameters<typeof sqsClient>[0]) =>
      (await secretsManagerEndpoint(awsCallContext(sqsClient(options).config))).href;

    expect(await endpoint({ region: "eu-west-1" })).toBe("https://secretsmanager.eu-west-1.amazonaws.com/");
    expect(await endpoint({ region: "cn-north-1" })).toBe(
      "https://secretsmanager.cn-north-1.amazonaws.com.cn/",
    );
    expect(await endpoint({ region: "us-east-1", useFipsEndpoint: true })).toBe(
      "https://secretsmanager-fips.us-east-1.amazonaws.com/",
    );
    expect(await endpoint({ region: "eu-west-1", useDualstackEndpoint: true })).toBe(
      "https://secretsmanager.eu-west-1.amazonaws.com/",
    );
  });

  test("the rules give what the Secrets Manager SDK client's resolver gives", () => {
    const sdk = new SecretsManagerClient({ region: "us-east-1" });
    const outcome = (resolve: () => EndpointV2) => {
      try {
        return resolve().url.href;
      } catch (error) {
        return `error: ${(error as Error).message}`;
      }
    };
    const regions = [
      "us-east-1",
      "eu-west-1",
      "cn-north-1",
      "us-gov-west-1",
      "us-iso-east-1",
      "us-isob-east-1",
      "eusc-de-east-1",
      "mars-west-1",
    ];
    const cases = regions.flatMap((Region) =>
      [false, true].flatMap((UseFIPS) =>
        [false, true].map((UseDualStack) => ({ Region, UseFIPS, UseDualStack })),
      ),
    );
    cases.push(
      {
        Region: "us-east-1",
        UseFIPS: false,
        UseDualStack: false,
        Endpoint: "http://127.0.0.1:4566",
      } as never,
      { Region: "us-east-1", UseFIPS: true, UseDualStack: false, Endpoint: "http://127.0.0.1:4566" } as never,
      { Region: "us-east-1", UseFIPS: false, UseDualStack: true, Endpoint: "http://127.0.0.1:4566" } as never,
      { UseFIPS: false, UseDualStack: false } as never,
    );
    try {
      for (const params of cases) {
        expect([params, outcome(() => secretsManagerEndpointRules(params))]).toEqual([
          params,
          outcome(() => sdk.config.endpointProvider(params)),
        ]);
      }
    } finally {
      sdk.destroy();
    }
    expect(() => secretsManagerEndpointRules({ UseFIPS: false })).toThrow(SecretsManagerEndpointError);
  });
});
