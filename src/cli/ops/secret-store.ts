import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { readEnvFile } from "../../shared/env-file";
import { parseSecretList, parseSecretValue } from "../../shared/secrets";
import { withEnvSecrets } from "./secrets";

/**
 * Where a webhook secret list is kept, newest first: a Secrets Manager secret or a `.env`
 * variable. Values are never logged.
 */
export interface SecretStore {
  /** For messages: the secret's id, or `NAME in .env`. */
  readonly name: string;
  read(): Promise<string[]>;
  /** Stores one secret, or two (`[current, previous]`) while a rotation is under way. */
  write(values: readonly [string] | readonly [string, string]): Promise<void>;
}

/**
 * A Secrets Manager secret: one value is stored as a plain string, two as
 * `{"current": …, "previous": …}`, the format the edge reads (src/shared/secrets.ts).
 *
 * @example
 * const store = secretsManagerStore(client, "webhook-gateway/prod/github-webhook-secret");
 * await store.write([next, current]);
 */
export function secretsManagerStore(client: SecretsManagerClient, secretId: string): SecretStore {
  return {
    name: secretId,
    async read() {
      try {
        const output = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
        return parseSecretValue(output.SecretString ?? "");
      } catch (error) {
        // The stack creates secrets without a value: reading one answers ResourceNotFoundException.
        if (error instanceof ResourceNotFoundException && /value/i.test(error.message)) return [];
        throw error;
      }
    },
    async write(values) {
      const secretString =
        values.length === 1 ? values[0] : JSON.stringify({ current: values[0], previous: values[1] });
      await client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: secretString }));
    },
  };
}

/**
 * A variable of a `.env` file (`NAME=new,old` while rotating), written with mode 600 and every
 * other line kept.
 *
 * @example
 * const store = envFileStore("/repo/.env", "GITHUB_WEBHOOK_SECRET");
 */
export function envFileStore(path: string, variable: string, label = ".env"): SecretStore {
  return {
    name: `${variable} in ${label}`,
    read: async () => parseSecretList(readEnvFile(path)[variable] ?? ""),
    async write(values) {
      const text = existsSync(path) ? readFileSync(path, "utf8") : "";
      writeFileSync(path, withEnvSecrets(text, variable, values), { mode: 0o600 });
      chmodSync(path, 0o600); // the mode above only applies to a new file
    },
  };
}
