import { SecretsUnavailableError } from "./errors";

/**
 * Reads a list of secrets from an environment value: comma-separated, newest first.
 *
 * @example
 * parseSecretList("new-secret, old-secret") // ["new-secret", "old-secret"]
 */
export function parseSecretList(value: string): string[] {
  return value
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

/**
 * Reads a Secrets Manager value: a JSON array of secrets (rotation: newest first), a JSON object
 * with `current` and optional `previous`, or a plain string holding one secret.
 *
 * @example
 * parseSecretValue('{"current":"b","previous":"a"}') // ["b", "a"]
 */
export function parseSecretValue(value: string): string[] {
  const trimmed = value.trim();
  if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      return trimmed.length > 0 ? [trimmed] : [];
    }
    const list = Array.isArray(parsed)
      ? parsed
      : [(parsed as { current?: unknown }).current, (parsed as { previous?: unknown }).previous];
    return list.filter((item): item is string => typeof item === "string" && item.length > 0);
  }
  return trimmed.length > 0 ? [trimmed] : [];
}

/** A source of secrets: fixed values, or a loader refreshed after `ttlMs`. */
export type SecretSource =
  | { values: readonly string[] }
  | { load: () => Promise<string[]>; ttlMs: number; now?: () => number };

/** A cached list of secrets; see {@link cachedSecrets}. */
export type CachedSecrets = (() => readonly string[] | Promise<readonly string[]>) & {
  /** Re-reads the source if the cache is older than its time to live (or a re-read is running). */
  refreshIfStale?: () => Promise<readonly string[]> | undefined;
};

/**
 * Caches a secret source. The first call waits for the loader; later calls answer from the cache
 * at once and refresh it in the background once it is older than `ttlMs`, so a rotated secret
 * is picked up by warm functions without a request ever waiting on Secrets Manager.
 *
 * @example
 * const github = cachedSecrets({ load: () => fetchSecret(client, arn), ttlMs: 300_000 });
 * await github() // ["s3cret"]
 */
export function cachedSecrets(source: SecretSource): CachedSecrets {
  if ("values" in source) {
    const values = Object.freeze([...source.values]);
    return () => values;
  }
  const now = source.now ?? Date.now;
  let cached: readonly string[] | undefined;
  let loadedAt = 0;
  let pending: Promise<readonly string[]> | undefined;

  const refresh = (): Promise<readonly string[]> => {
    pending ??= source
      .load()
      .then((values) => {
        cached = Object.freeze(values);
        loadedAt = now();
        return cached;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };

  const get: CachedSecrets = () => {
    if (cached === undefined) {
      return refresh().catch((cause) => {
        throw new SecretsUnavailableError(cause);
      });
    }
    if (now() - loadedAt > source.ttlMs) {
      // Keep answering with the known secrets if the refresh fails; the next call tries again.
      refresh().catch(() => undefined);
    }
    return cached;
  };
  get.refreshIfStale = () => {
    if (pending) return pending;
    return cached !== undefined && now() - loadedAt > source.ttlMs ? refresh() : undefined;
  };
  return get;
}
