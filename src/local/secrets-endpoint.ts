import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** The secret ids the local runtime gives the edge (`GITHUB_WEBHOOK_SECRET_ID`, …). */
export const LOCAL_SECRET_IDS = {
  github: "local/github-webhook-secret",
  slack: "local/slack-signing-secret",
} as const;

export interface LocalSecretsEndpoint {
  /** For `AWS_ENDPOINT_URL_SECRETS_MANAGER`. */
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * A local stand-in for Secrets Manager's `GetSecretValue` (AWS JSON 1.1, `POST /`), so the local
 * edge reads its secrets the way the deployed one does: through the Secrets Manager client,
 * cached for `SECRETS_TTL_SECONDS`. `read` is called at every request, so a secret changed in
 * `.env` (`webhook-gateway secrets set|rotate|retire … --local`) is used without a restart. The
 * value is a JSON array, newest first (src/shared/secrets.ts `parseSecretValue`).
 *
 * @example
 * const sm = await startLocalSecretsEndpoint((id) => (id === LOCAL_SECRET_IDS.github ? ["s3cret"] : undefined));
 * process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = sm.endpoint;
 */
export async function startLocalSecretsEndpoint(
  read: (secretId: string) => readonly string[] | undefined,
): Promise<LocalSecretsEndpoint> {
  const server: Server = createServer(async (request, response) => {
    const reply = (status: number, body: Record<string, unknown>) => {
      response.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
      response.end(JSON.stringify(body));
    };
    try {
      const input = JSON.parse((await readBody(request)) || "{}") as { SecretId?: unknown };
      const operation = String(request.headers["x-amz-target"] ?? "");
      const secretId = String(input.SecretId ?? "");
      const values = operation === "secretsmanager.GetSecretValue" ? read(secretId) : undefined;
      if (values === undefined) {
        return reply(400, { __type: "ResourceNotFoundException", message: `no local secret ${secretId}` });
      }
      reply(200, { Name: secretId, SecretString: JSON.stringify(values), VersionStages: ["AWSCURRENT"] });
    } catch (error) {
      reply(500, { __type: "InternalServiceError", message: (error as Error).message });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
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
