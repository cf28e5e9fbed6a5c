import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { parseSecretList, parseSecretValue } from "../../shared/secrets";
import { CommandError, UsageError } from "../errors";

export interface PutSecretOptions {
  secretId: string;
  value: string;
  /** Keep the current secret as `previous`: `{"current": new, "previous": old}`. */
  rotate?: boolean;
}

/**
 * Stores a webhook secret in Secrets Manager. With `rotate`, the current value (the newest of
 * whatever format is stored) becomes `previous`, so the edge accepts both until the provider
 * switches (see src/shared/secrets.ts `parseSecretValue`). The value is never logged or returned.
 *
 * @example
 * await putWebhookSecret(client, { secretId: "webhook-gateway/prod/github-webhook-secret", value, rotate: true })
 * // { versionId: "…", rotated: true }
 */
export async function putWebhookSecret(
  client: SecretsManagerClient,
  options: PutSecretOptions,
): Promise<{ versionId: string | undefined; rotated: boolean }> {
  let secretString = options.value;
  if (options.rotate) {
    const previous = await currentSecret(client, options.secretId);
    if (previous === undefined) {
      throw new CommandError(
        "nothing_to_rotate",
        `${options.secretId} has no value yet: nothing to rotate from (run without --rotate)`,
      );
    }
    if (previous === options.value)
      throw new CommandError("same_secret", "the new secret equals the current one");
    secretString = JSON.stringify({ current: options.value, previous });
  }
  const output = await client.send(
    new PutSecretValueCommand({ SecretId: options.secretId, SecretString: secretString }),
  );
  return { versionId: output.VersionId, rotated: Boolean(options.rotate) };
}

async function currentSecret(client: SecretsManagerClient, secretId: string): Promise<string | undefined> {
  try {
    const output = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    return output.SecretString === undefined ? undefined : parseSecretValue(output.SecretString)[0];
  } catch (error) {
    // The stack creates secrets without a value: reading one answers ResourceNotFoundException.
    if (error instanceof ResourceNotFoundException && /value/i.test(error.message)) return undefined;
    throw error;
  }
}

/**
 * Sets `name` in the text of a `.env` file, keeping every other line; with `rotate` the current
 * newest value stays as the second of the list (`NAME=new,old`).
 *
 * @example
 * withEnvSecret("PORT=3000\nGITHUB_WEBHOOK_SECRET=old\n", "GITHUB_WEBHOOK_SECRET", "new", true)
 * // "PORT=3000\nGITHUB_WEBHOOK_SECRET=new,old\n"
 */
export function withEnvSecret(text: string, name: string, value: string, rotate: boolean): string {
  if (/[,\s"'#]/.test(value)) {
    throw new UsageError("the secret must not contain commas, spaces, quotes or #");
  }
  const pattern = new RegExp(`^\\s*(?:export\\s+)?${name}\\s*=(.*)$`);
  const lines = text.length > 0 ? text.replace(/\r?\n$/, "").split(/\r?\n/) : [];
  const index = lines.findIndex((line) => pattern.test(line));
  let entry = value;
  if (rotate) {
    const old = index >= 0 ? parseSecretList(unquote(pattern.exec(lines[index]!)![1]!))[0] : undefined;
    if (old === undefined)
      throw new CommandError(
        "nothing_to_rotate",
        `.env has no ${name}: nothing to rotate from (run without --rotate)`,
      );
    if (old === value) throw new CommandError("same_secret", "the new secret equals the current one");
    entry = `${value},${old}`;
  }
  if (index >= 0) lines[index] = `${name}=${entry}`;
  else lines.push(`${name}=${entry}`);
  return `${lines.join("\n")}\n`;
}

/**
 * Sets `name` in the text of a `.env` file to a list of secrets, newest first, keeping every
 * other line.
 *
 * @example
 * withEnvSecrets("PORT=3000\n", "GITHUB_WEBHOOK_SECRET", ["new", "old"])
 * // "PORT=3000\nGITHUB_WEBHOOK_SECRET=new,old\n"
 */
export function withEnvSecrets(text: string, name: string, values: readonly string[]): string {
  if (values.length === 0) throw new CommandError("no_secret", "no secret to store");
  let result = withEnvSecret(text, name, values[values.length - 1]!, false);
  for (const value of values.slice(0, -1).reverse()) result = withEnvSecret(result, name, value, true);
  return result;
}

function unquote(value: string): string {
  const trimmed = value.trim().replace(/\s+#.*$/, "");
  return /^(["']).*\1$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
}
