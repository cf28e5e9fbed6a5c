import { ENV } from "../contract/environment";
import { type LocalRuntime, type LocalRuntimeOptions, startLocalRuntime } from "./runtime";

/**
 * Starts the local runtime, prints the start-up summary, and on SIGINT or SIGTERM stops accepting,
 * drains what is queued and exits (a second signal forces the exit). What `npm start` runs, and
 * the soak's runtime with its faults.
 *
 * @example
 * serveUntilSignal({ faults }).catch(exitOnStartFailure);
 */
export async function serveUntilSignal(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const runtime = await startLocalRuntime(options);
  console.log(startupSummary(runtime));
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      console.log("Stopping already; press Ctrl-C again... forcing exit.");
      process.exit(130);
    }
    stopping = true;
    console.log(`\n${signal}: ${drainLine(await runtime.queued(), runtime.drainTimeoutMs)}`);
    await runtime.stop();
    console.log("Stopped.");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  return runtime;
}

/**
 * What Ctrl-C waits for, and for how long at most.
 *
 * @example
 * drainLine(3, 10_000) // "no longer accepting; draining 3 queued events, up to 10 s; Ctrl-C again to quit now"
 */
export function drainLine(queued: number, timeoutMs: number): string {
  if (queued === 0 || timeoutMs <= 0) return "no longer accepting; stopping…";
  const events = queued === 1 ? "1 queued event" : `${queued} queued events`;
  return `no longer accepting; draining ${events}, up to ${Math.ceil(timeoutMs / 1000)} s; Ctrl-C again to quit now`;
}

/** Prints why the runtime could not start and exits with 1. */
export function exitOnStartFailure(error: unknown): never {
  console.error(`webhook-gateway failed to start: ${(error as Error).message}`);
  process.exit(1);
}

/**
 * The lines `npm start` prints once running: URLs, where the secrets come from, each consumer
 * (on, or off with what it lacks) and the emulators.
 *
 * @example
 * startupSummary(runtime) // "\nwebhook-gateway running at http://127.0.0.1:3000\n…"
 */
export function startupSummary(runtime: LocalRuntime): string {
  return [
    "",
    `webhook-gateway running at ${runtime.url}`,
    `  POST ${runtime.url}/github    POST ${runtime.url}/slack`,
    `  Inspector: ${runtime.url}/   (JSON: /_/health  /_/events  /_/events/<id>  /_/metrics)`,
    "",
    "Secrets:",
    secretLine(ENV.githubWebhookSecret, runtime.secrets.github),
    secretLine(ENV.slackSigningSecret, runtime.secrets.slack),
    "",
    "Consumers:",
    ...runtime.consumers.map(consumerLine),
    ...offNote(runtime.consumers),
    "",
    `Emulators: SQS/S3 ${runtime.endpoints.sqs} (fauxqs)  DynamoDB ${runtime.endpoints.dynamodb} (dynalite); both kept in LOCAL_DATA_DIR (default .data/)`,
    `  written to ${runtime.endpointsFile} for the CLI's --local (dlq redrive, archive replay)`,
    "Try: npm run replay    Stop: Ctrl-C",
    "",
  ].join("\n");
}

function secretLine(name: string, s: { origin: string; values: string[] }): string {
  const note = s.origin === "development default" ? ` ("${s.values[0]}": for local use only)` : "";
  return `  ${name.padEnd(22)} ${s.values.length} secret(s) from ${s.origin}${note}`;
}

/** Consumers that are off have no local queue: the edge routes nothing to them here. */
function offNote(consumers: LocalRuntime["consumers"]): string[] {
  const off = consumers.filter((c) => !c.enabled).map((c) => c.name);
  if (off.length === 0) return [];
  return [
    `  (${off.join(", ")}: no local queue, so the edge routes nothing to ${off.length === 1 ? "it" : "them"} here)`,
  ];
}

function consumerLine(c: LocalRuntime["consumers"][number]): string {
  const types = c.types.length ? c.types.join(" ") : "*";
  const sources = c.sources.length ? ` sources ${c.sources.join(" ")}` : "";
  const needs = c.enabled ? "" : `  (needs ${c.missing.join(", ")})`;
  return `  ${c.name.padEnd(10)} ${c.enabled ? "on " : "off"} types ${types}${sources}${needs}`;
}
