/**
 * A local stand-in for AWS Secrets Manager's `GetSecretValue` and `PutSecretValue` (AWS JSON 1.1
 * protocol: `POST /` with `X-Amz-Target: secretsmanager.<Operation>`). Nothing emulates Secrets
 * Manager on npm; point a `SecretsManagerClient` at it with `endpoint`. Secrets exist by name;
 * one created empty (as the stack does) answers GetSecretValue like AWS: ResourceNotFoundException.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { TEST_CREDENTIALS, TEST_REGION } from "./emulators";

export interface SecretsManagerCall {
  operation: string;
  input: Record<string, unknown>;
}

export interface SecretsManagerFake {
  endpoint: string;
  calls: SecretsManagerCall[];
  /** Each call's request headers (names in lower case), in the order of `calls`. */
  headers: IncomingHttpHeaders[];
  /** Creates a secret, empty unless a value is given (like `aws secretsmanager create-secret`). */
  create(name: string, value?: string): void;
  /** The current value, or undefined when empty or absent. */
  value(name: string): string | undefined;
  stop(): Promise<void>;
}

/** A `SecretsManagerClient` pointed at the fake (test region and credentials). */
export function fakeSecretsManagerClient(fake: Pick<SecretsManagerFake, "endpoint">): SecretsManagerClient {
  return new SecretsManagerClient({
    endpoint: fake.endpoint,
    region: TEST_REGION,
    credentials: TEST_CREDENTIALS,
  });
}

export async function startSecretsManagerFake(): Promise<SecretsManagerFake> {
  const calls: SecretsManagerCall[] = [];
  const headers: IncomingHttpHeaders[] = [];
  const secrets = new Map<string, { versions: string[] }>();
  const arn = (name: string) => `arn:aws:secretsmanager:us-east-1:000000000000:secret:${name}-AbCdEf`;
  const find = (id: string) => {
    const name = id.startsWith("arn:") ? id.replace(/^.*:secret:/, "").replace(/-[A-Za-z0-9]{6}$/, "") : id;
    return { name, secret: secrets.get(name) };
  };

  const server: Server = createServer(async (request, response) => {
    const input = JSON.parse((await readBody(request)) || "{}") as Record<string, unknown>;
    const operation = String(request.headers["x-amz-target"] ?? "").replace(/^secretsmanager\./, "");
    calls.push({ operation, input });
    headers.push(request.headers);
    const reply = (status: number, body: unknown) => {
      const headers: Record<string, string> = { "content-type": "application/x-amz-json-1.1" };
      const type = (body as { __type?: string }).__type;
      if (type) headers["x-amzn-errortype"] = type;
      response.writeHead(status, headers);
      response.end(JSON.stringify(body));
    };
    const notFound = (message: string) => reply(400, { __type: "ResourceNotFoundException", message });
    const { name, secret } = find(String(input.SecretId ?? ""));
    if (operation === "GetSecretValue") {
      if (!secret) return notFound("Secrets Manager can't find the specified secret.");
      const current = secret.versions.at(-1);
      if (current === undefined) {
        return notFound(
          "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
        );
      }
      return reply(200, {
        ARN: arn(name),
        Name: name,
        SecretString: current,
        VersionId: `v${secret.versions.length}`,
        VersionStages: ["AWSCURRENT"],
        CreatedDate: 1767225600,
      });
    }
    if (operation === "PutSecretValue") {
      if (!secret) return notFound("Secrets Manager can't find the specified secret.");
      secret.versions.push(String(input.SecretString));
      return reply(200, {
        ARN: arn(name),
        Name: name,
        VersionId: `v${secret.versions.length}`,
        VersionStages: ["AWSCURRENT"],
      });
    }
    return reply(400, { __type: "InvalidRequestException", message: `unsupported operation ${operation}` });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    headers,
    create: (name, value) => secrets.set(name, { versions: value === undefined ? [] : [value] }),
    value: (name) => secrets.get(name)?.versions.at(-1),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}
