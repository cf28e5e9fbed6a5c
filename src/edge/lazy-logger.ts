import type { Logger } from "@aws-lambda-powertools/logger";
import type { LogItemExtraInput, LogItemMessage } from "@aws-lambda-powertools/logger/types";
import { ENV } from "../contract/environment";

/** What the edge asks of its logger (`observe` and the handler): a Powertools `Logger` has it all. */
export type EdgeLogger = Pick<
  Logger,
  "level" | "addContext" | "setCorrelationId" | "info" | "warn" | "error" | "resetKeys"
>;

/** Powertools' level thresholds (its `LogLevelThreshold`). */
const THRESHOLDS: Readonly<Record<string, number>> = {
  TRACE: 6,
  DEBUG: 8,
  INFO: 12,
  WARN: 16,
  ERROR: 20,
  CRITICAL: 24,
  SILENT: 28,
};
/** Set by the Lambda runtime from the function's logging configuration (advanced logging controls). */
const LAMBDA_LOG_LEVEL = "AWS_LAMBDA_LOG_LEVEL";
const LOG_LEVEL_ALIAS = "LOG_LEVEL";
const SAMPLE_RATE = "POWERTOOLS_LOGGER_SAMPLE_RATE";

/**
 * The level a Powertools `Logger` built without a `logLevel` option takes from `env`, read as its
 * constructor reads it: Lambda's advanced logging level first (`FATAL` read as `CRITICAL`), else
 * `POWERTOOLS_LOG_LEVEL` or `LOG_LEVEL`, else `INFO`; names are matched as written. Undefined
 * when log sampling is configured: the Logger then draws its level when it is built.
 *
 * @example
 * powertoolsLogLevel({ AWS_LAMBDA_LOG_LEVEL: "WARN" }) // 16
 */
export function powertoolsLogLevel(env: NodeJS.ProcessEnv): number | undefined {
  if (env[SAMPLE_RATE]?.trim()) return undefined;
  const lambda = env[LAMBDA_LOG_LEVEL]?.trim();
  const advanced = lambda === "FATAL" ? "CRITICAL" : lambda;
  if (advanced && advanced in THRESHOLDS) return THRESHOLDS[advanced];
  const configured = env[ENV.powertoolsLogLevel]?.trim() || env[LOG_LEVEL_ALIAS]?.trim();
  return configured && configured in THRESHOLDS ? THRESHOLDS[configured] : THRESHOLDS.INFO;
}

/**
 * A logger whose Powertools `Logger` (module and instance) is built on the first line it prints:
 * an answer that logs nothing at the configured level (the default `WARN`: every accepted
 * delivery) never loads it. Until then `level` is {@link powertoolsLogLevel}; with log sampling
 * configured the Logger is built at once.
 *
 * @example
 * const logger = lazyLogger(() => new Logger({ serviceName }), process.env);
 * logger.level // 16, no Logger built yet
 */
export function lazyLogger(create: () => Logger, env: NodeJS.ProcessEnv): EdgeLogger {
  const level = powertoolsLogLevel(env);
  return level === undefined ? create() : new LazyLogger(create, level);
}

class LazyLogger implements EdgeLogger {
  #logger: Logger | undefined;

  constructor(
    private readonly create: () => Logger,
    private readonly initialLevel: number,
  ) {}

  get level(): number {
    return this.#logger ? this.#logger.level : this.initialLevel;
  }

  addContext(...args: Parameters<Logger["addContext"]>): void {
    this.built().addContext(...args);
  }

  setCorrelationId(...args: Parameters<Logger["setCorrelationId"]>): void {
    this.built().setCorrelationId(...args);
  }

  info(input: LogItemMessage, ...extra: LogItemExtraInput): void {
    this.built().info(input, ...extra);
  }

  warn(input: LogItemMessage, ...extra: LogItemExtraInput): void {
    this.built().warn(input, ...extra);
  }

  error(input: LogItemMessage, ...extra: LogItemExtraInput): void {
    this.built().error(input, ...extra);
  }

  resetKeys(): void {
    // Nothing to reset on a Logger that was never built.
    this.#logger?.resetKeys();
  }

  private built(): Logger {
    this.#logger ??= this.create();
    return this.#logger;
  }
}
