import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { ENV } from "../contract/environment";
import { readEnvFile } from "../shared/env-file";
import { DEV_GITHUB_SECRET, DEV_SLACK_SECRET, type ResolvedSecret, resolveSecret } from "./dev-secrets";

type Env = Readonly<Record<string, string | undefined>>;

/** What `startLocalRuntime` accepts that settings are made of (see `LocalRuntimeOptions`). */
export interface LocalSettingsInput {
  port?: number;
  host?: string;
  dataDir?: string;
  root?: string;
  env?: Env;
  visibilityTimeoutSeconds?: number;
  drainTimeoutMs?: number;
  /** Worker threads running the consumers (default `LOCAL_CONSUMER_THREADS` or 2). */
  consumerThreads?: number;
  /**
   * Every consumer's batching window locally: seconds, or `"stack"` for each consumer's own, as
   * deployed (default `LOCAL_BATCHING_WINDOW_SECONDS`, else 0).
   */
  batchingWindowSeconds?: number | "stack";
  log?: (line: string) => void;
}

/** The runtime's settings, each resolved once: options, then the environment, then `.env`, then defaults. */
export interface LocalSettings {
  root: string;
  /** `.env` overlaid by the environment. */
  env: Env;
  log: (line: string) => void;
  dataDir: string;
  secrets: { github: ResolvedSecret; slack: ResolvedSecret };
  /** The secrets as they are now: the environment at start, then `.env` read afresh. */
  readSecrets: () => { github: ResolvedSecret; slack: ResolvedSecret };
  port: number;
  host: string;
  visibilityTimeoutSeconds: number | undefined;
  drainTimeoutMs: number;
  /** Worker threads running the consumers, sharing each consumer's pollers (`LOCAL_CONSUMER_THREADS`). */
  consumerThreads: number;
  /** The consumers' batching window, or `undefined` for each consumer's own (`LOCAL_BATCHING_WINDOW_SECONDS=stack`). */
  batchingWindowSeconds: number | undefined;
}

/**
 * Resolves the runtime's settings and creates the data directory.
 *
 * @example
 * resolveLocalSettings({ port: 0 }).dataDir // "/repo/.data"
 */
export function resolveLocalSettings(options: LocalSettingsInput): LocalSettings {
  const root = resolve(options.root ?? ".");
  const file = readEnvFile(join(root, ".env"));
  const given = options.env ?? process.env;
  const startEnv = { ...given };
  const env = { ...file, ...given };
  const dataDir = resolve(root, options.dataDir ?? env.LOCAL_DATA_DIR ?? ".data");
  mkdirSync(dataDir, { recursive: true });
  return {
    root,
    env,
    log: options.log ?? ((line: string) => console.log(line)),
    dataDir,
    secrets: secretsFrom(given, file),
    // `secrets set|rotate|retire … --local` edit .env while the runtime runs: read it again.
    readSecrets: () => secretsFrom(startEnv, readEnvFile(join(root, ".env"))),
    port: options.port ?? numberOr(env.PORT) ?? 3000,
    host: options.host ?? "127.0.0.1",
    visibilityTimeoutSeconds:
      options.visibilityTimeoutSeconds ?? numberOr(env.LOCAL_VISIBILITY_TIMEOUT_SECONDS),
    drainTimeoutMs: options.drainTimeoutMs ?? numberOr(env.LOCAL_DRAIN_TIMEOUT_MS) ?? 10_000,
    batchingWindowSeconds: windowSeconds(options.batchingWindowSeconds ?? env.LOCAL_BATCHING_WINDOW_SECONDS),
    consumerThreads: Math.max(
      1,
      Math.floor(options.consumerThreads ?? numberOr(env.LOCAL_CONSUMER_THREADS) ?? DEFAULT_CONSUMER_THREADS),
    ),
  };
}

/**
 * Two threads run the consumers by default: one thread's event loop (SDK calls, brotli, the
 * listeners) is what limits the events processed per second, and two already outrun the
 * emulators on a 2-core machine (`npm run bench -- --only pipeline`).
 */
const DEFAULT_CONSUMER_THREADS = 2;

/**
 * The local batching window: 0 unless set, so that an event is processed the moment it is queued
 * (the stack's 1 s window saves Lambda invocations, which cost nothing here); `stack` keeps each
 * consumer's own, as deployed. Whole seconds, 0 to 300, as the event source mapping takes it.
 */
function windowSeconds(value: number | string | undefined): number | undefined {
  if (typeof value === "string" && value.trim().toLowerCase() === "stack") return undefined;
  const seconds = typeof value === "number" ? value : numberOr(value);
  return seconds === undefined ? 0 : Math.min(300, Math.max(0, Math.floor(seconds)));
}

function secretsFrom(env: Env, file: Readonly<Record<string, string>>) {
  return {
    github: resolveSecret(ENV.githubWebhookSecret, env, file, DEV_GITHUB_SECRET),
    slack: resolveSecret(ENV.slackSigningSecret, env, file, DEV_SLACK_SECRET),
  };
}

function numberOr(value: string | undefined): number | undefined {
  return value === undefined || value === "" || Number.isNaN(Number(value)) ? undefined : Number(value);
}
