import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { parseSecretValue } from "../../shared/secrets";

/**
 * Loads webhook secrets from Secrets Manager. An empty secret (the stack creates them without a
 * value) yields an empty list, so every delivery is refused until the operator sets one.
 *
 * @example
 * await fetchSecrets(new SecretsManagerClient({}), "arn:aws:secretsmanager:…:gateway/github") // ["s3cret"]
 */
export async function fetchSecrets(client: SecretsManagerClient, secretId: string): Promise<string[]> {
  // Loaded here, not at the top: the edge's cold start does not load the package until it is needed.
  const { GetSecretValueCommand } =
    require("@aws-sdk/client-secrets-manager") as typeof import("@aws-sdk/client-secrets-manager");
  try {
    const output = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    return parseSecretValue(output.SecretString ?? "");
  } catch (error) {
    // A secret created without a value has no AWSCURRENT version yet.
    if ((error as { name?: string }).name === "ResourceNotFoundException") return [];
    throw error;
  }
}
