import { Logger } from "@aws-lambda-powertools/logger";
import type { ShippedConsumersOptions } from "../consumers/registry";

type Level = "DEBUG" | "INFO" | "WARN" | "ERROR";
type Message = Parameters<Logger["info"]>[0];
type Extra = Parameters<Logger["info"]>[1][];

const RANK: Record<string, number> = {
  TRACE: 0,
  DEBUG: 1,
  INFO: 2,
  WARN: 3,
  ERROR: 4,
  CRITICAL: 5,
  SILENT: 6,
};
const MARK: Record<Level, string> = { DEBUG: "·", INFO: "·", WARN: "!", ERROR: "✗" };

/**
 * The logger the local runtime gives the user's listeners: one readable line per call,
 * `  · github listener: Push {repository=octo/hello ref=refs/heads/main}`, through the runtime's
 * own output, from INFO up by default (`LOG_LEVEL` moves it). The framework's Powertools logs keep
 * their own level (ERROR unless `LOG_LEVEL` says otherwise) and their JSON.
 *
 * @example
 * const logger = new ListenerLogger("github", console.log, process.env.LOG_LEVEL);
 * logger.info("Push", { repository: "octo/hello" }); // "  · github listener: Push {repository=octo/hello}"
 */
export class ListenerLogger extends Logger {
  readonly #label: string;
  readonly #write: (line: string) => void;
  readonly #rank: number;
  readonly #level: string | undefined;

  constructor(label: string, write: (line: string) => void, level?: string) {
    super({ serviceName: label, logLevel: "SILENT" });
    this.#label = label;
    this.#write = write;
    this.#level = level;
    this.#rank = RANK[(level ?? "INFO").toUpperCase()] ?? RANK.INFO!;
  }

  override debug(input: Message, ...extra: Extra): void {
    this.#print("DEBUG", input, extra);
  }

  override info(input: Message, ...extra: Extra): void {
    this.#print("INFO", input, extra);
  }

  override warn(input: Message, ...extra: Extra): void {
    this.#print("WARN", input, extra);
  }

  override error(input: Message, ...extra: Extra): void {
    this.#print("ERROR", input, extra);
  }

  override createChild(): Logger {
    return new ListenerLogger(this.#label, this.#write, this.#level);
  }

  #print(level: Level, input: Message, extra: Extra): void {
    if (RANK[level]! < this.#rank) return;
    const { message, ...fields } = typeof input === "string" ? { message: input } : input;
    for (const item of extra) {
      if (item instanceof Error) fields.error = item.message;
      else if (typeof item === "string") fields.extra = item;
      else Object.assign(fields, item);
    }
    const pairs = Object.entries(fields).map(([key, value]) => `${key}=${show(value)}`);
    this.#write(
      `  ${MARK[level]} ${this.#label} listener: ${message}${pairs.length ? ` {${pairs.join(" ")}}` : ""}`,
    );
  }
}

function show(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Error) return value.message;
  return JSON.stringify(value) ?? String(value);
}

/**
 * The user's listeners, each given a {@link ListenerLogger} instead of the framework's logger.
 *
 * @example
 * const listeners = withListenerLoggers(PROJECT_LISTENERS, console.log, env.LOG_LEVEL);
 */
export function withListenerLoggers(
  listeners: ShippedConsumersOptions["listeners"],
  write: (line: string) => void,
  level?: string,
): ShippedConsumersOptions["listeners"] {
  return {
    github: (webhooks) => listeners.github(webhooks, new ListenerLogger("github", write, level)),
    slack: (app) => listeners.slack(app, new ListenerLogger("slack", write, level)),
  };
}
