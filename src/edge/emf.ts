import { writeSync } from "node:fs";
import { ENV } from "../contract/environment";
import { METRIC_DIMENSIONS } from "../contract/metrics";
import { CodedError } from "../shared/errors";

/** CloudWatch's unit for a count (Powertools' `MetricUnit.Count`): the only unit the edge uses. */
export const COUNT = "Count";

/** A unit the edge's metrics are in. */
export type EdgeMetricUnit = typeof COUNT;

/** A metric that is published as soon as it is added, with dimensions of its own (`singleMetric`). */
export interface EdgeSingleMetric {
  addDimension(name: string, value: string): unknown;
  addMetric(name: string, unit: EdgeMetricUnit, value: number): unknown;
}

/**
 * What the edge asks of its metrics (`observe` and the handler): a Powertools `Metrics` has it all
 * (the local runtime's `SilentMetrics`, the tests' recorders), and so has {@link EmfMetrics}.
 */
export interface EdgeMetrics {
  addMetric(name: string, unit: EdgeMetricUnit, value: number): unknown;
  singleMetric(): EdgeSingleMetric;
  publishStoredMetrics(): unknown;
}

/** `POWERTOOLS_METRICS_DISABLED` is set to something that is not a boolean (Powertools refuses it too). */
export class MetricsConfigError extends CodedError {
  constructor(name: string) {
    super("metrics_config_invalid", `Environment variable ${name} must be a boolean`);
  }
}

/** Powertools' defaults when the namespace or the service name is empty. */
const DEFAULT_NAMESPACE = "default_namespace";
const DEFAULT_SERVICE = "service_undefined";
const DEV_MODE = "POWERTOOLS_DEV";
const NO_METRICS =
  "No application metrics to publish. The cold-start metric may be published if enabled. " +
  "If application metrics should never be empty, consider using `throwOnEmptyMetrics`";
const SERVICE_COLLISION =
  'EMF key "service" is defined as both a default dimension and dimension; the dimension value will take precedence in the serialized output';
const TRUTHY = new Set(["1", "y", "yes", "t", "true", "on"]);
const FALSY = new Set(["0", "n", "no", "f", "false", "off"]);

/** Powertools' `getBooleanFromEnv` with extended parsing: trimmed, any case, `1/y/yes/t/true/on` or the opposites. */
function envBoolean(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  const parsed = value.trim().toLowerCase();
  if (TRUTHY.has(parsed)) return true;
  if (FALSY.has(parsed)) return false;
  throw new MetricsConfigError(name);
}

/** Powertools' dev mode (`POWERTOOLS_DEV`): a value it cannot read counts as off. */
function devMode(env: NodeJS.ProcessEnv): boolean {
  try {
    return envBoolean(env, DEV_MODE) ?? false;
  } catch {
    return false;
  }
}

/**
 * Whether a Powertools `Metrics` built in `env` publishes nothing: `POWERTOOLS_METRICS_DISABLED`
 * when it is set, else dev mode (`POWERTOOLS_DEV`). Throws {@link MetricsConfigError} on a value
 * that is not a boolean, as Powertools' constructor does.
 *
 * @example
 * metricsDisabled({ POWERTOOLS_METRICS_DISABLED: "true" }) // true
 * metricsDisabled({}) // false
 */
export function metricsDisabled(env: NodeJS.ProcessEnv): boolean {
  return envBoolean(env, ENV.powertoolsMetricsDisabled) ?? devMode(env);
}

/** Where an EMF document goes: one line, `\n` included. */
export type EmfSink = (line: string) => void;

/**
 * Writes `line` to the standard output (fd 1) at once, as the Lambda runtime writes its own log
 * lines: the first write through the `process.stdout` stream costs ~0.4 ms of cold start, a
 * direct write ~35 µs. A pipe that is full (`EAGAIN`: fd 1 is non-blocking once `process.stdout`
 * exists) hands the rest to `process.stdout`, which queues it. An EMF line is shorter than
 * `PIPE_BUF`, so lines from this and from the stream never mix. Other write errors (a closed pipe)
 * are swallowed, as Powertools' `Console` swallows them: a metric must not fail a request.
 *
 * @example
 * writeStdout('{"_aws":{…},"service":"gw-dev-ingest","Received":1}\n');
 */
export function writeStdout(line: string): void {
  const bytes = Buffer.from(line);
  let written = 0;
  try {
    while (written < bytes.length) written += writeSync(1, bytes, written);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EAGAIN") return;
    try {
      process.stdout.write(bytes.subarray(written), swallowWriteError);
    } catch {
      // Dropped, as Console drops it.
    }
  }
}

/** `Console`'s write error handler: the stream's `error` event that follows is not thrown. */
function swallowWriteError(error: Error | null | undefined): void {
  if (error && process.stdout.listenerCount("error") === 0) process.stdout.once("error", noop);
}

function noop(): void {}

/** Powertools prints its warnings on standard error. */
function warn(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** One stored metric: a value, or the values of a name added more than once. */
interface Stored {
  unit: EdgeMetricUnit;
  value: number | number[];
}

export interface EmfMetricsOptions {
  /** The `service` dimension (Powertools' `serviceName`); empty: `POWERTOOLS_SERVICE_NAME`, else `service_undefined`. */
  serviceName: string;
  /** CloudWatch namespace; empty: `default_namespace` (Powertools' fallback). */
  namespace: string;
}

/**
 * The edge's CloudWatch Embedded Metric Format writer: the documents a Powertools `Metrics` built
 * with the same options prints for `addMetric`, `singleMetric` (+ `addDimension`) and
 * `publishStoredMetrics`, byte for byte (test/unit/edge/emf.test.ts compares them), without
 * Powertools' module, stores and `Console` (~3 ms of the edge's cold start). Standard resolution
 * only, no metadata, no default dimensions but `service`, no validation of names and units (the
 * edge's come from src/contract/metrics.ts), no flush at 100 metrics or values (the edge stores two). A request adds and publishes with no `await` between,
 * so one instance serves concurrent invocations as Powertools' invocation-scoped stores do.
 *
 * @example
 * const metrics = emfMetrics({ serviceName: "gw-dev-ingest", namespace: "WebhookGateway" }, process.env);
 * metrics.addMetric(EDGE_METRICS.received, COUNT, 1);
 * metrics.publishStoredMetrics(); // {"_aws":{"Timestamp":…,"CloudWatchMetrics":[…]},"service":"gw-dev-ingest","Received":1}
 */
export class EmfMetrics implements EdgeMetrics, EdgeSingleMetric {
  #metrics: Record<string, Stored> = {};
  #count = 0;
  #dimensions: [string, string][] = [];
  /** `"Namespace":…` and the service dimension, JSON-encoded once. */
  readonly #namespace: string;
  readonly #service: string;

  constructor(
    private readonly options: EmfMetricsOptions,
    private readonly sink: EmfSink | undefined,
    private readonly single = false,
  ) {
    this.#namespace = JSON.stringify(options.namespace || DEFAULT_NAMESPACE);
    this.#service = JSON.stringify(options.serviceName);
  }

  addMetric(name: string, unit: EdgeMetricUnit, value: number): this {
    const stored = this.#metrics[name];
    if (stored === undefined) {
      this.#metrics[name] = { unit, value };
      this.#count++;
    } else if (Array.isArray(stored.value)) stored.value.push(value);
    else stored.value = [stored.value, value];
    if (this.single) this.publishStoredMetrics();
    return this;
  }

  /** A dimension of this document only (the edge adds them to single metrics). */
  addDimension(name: string, value: string): this {
    if (!name || !value) {
      warn(
        `The dimension ${name} doesn't meet the requirements and won't be added. Ensure the dimension name and value are non empty strings`,
      );
      return this;
    }
    const existing = this.#dimensions.findIndex(([key]) => key === name);
    if (existing >= 0 || name === METRIC_DIMENSIONS.service) {
      warn(`Dimension "${name}" has already been added. The previous value will be overwritten.`);
    }
    if (existing >= 0) this.#dimensions[existing] = [name, value];
    else this.#dimensions.push([name, value]);
    return this;
  }

  /** A metric of its own, published on `addMetric`, with the `service` dimension and its own. */
  singleMetric(): EdgeSingleMetric {
    return new EmfMetrics(this.options, this.sink, true);
  }

  /**
   * Prints the stored metrics as one EMF document, then forgets them; with none stored, prints
   * nothing but Powertools' warning.
   */
  publishStoredMetrics(): this {
    if (this.#count === 0) warn(NO_METRICS);
    else if (this.sink) this.sink(this.document());
    this.#metrics = {};
    this.#count = 0;
    this.#dimensions = [];
    return this;
  }

  /** The EMF document, keys in Powertools' order: `_aws`, `service`, the dimensions, the values. */
  private document(): string {
    if (!this.options.namespace) warn("Namespace should be defined, default used");
    const definitions: string[] = [];
    const values: string[] = [];
    for (const name of Object.keys(this.#metrics)) {
      const key = JSON.stringify(name);
      const stored = this.#metrics[name]!;
      definitions.push(`{"Name":${key},"Unit":${JSON.stringify(stored.unit)}}`);
      values.push(`${key}:${JSON.stringify(stored.value)}`);
    }
    // A dimension named `service` overrides the service's value and keeps its place, as in Powertools.
    const service = this.#dimensions.find(([key]) => key === METRIC_DIMENSIONS.service);
    if (service) warn(SERVICE_COLLISION);
    const names = [JSON.stringify(METRIC_DIMENSIONS.service)];
    const pairs = [`${names[0]}:${service ? JSON.stringify(service[1]) : this.#service}`];
    for (const [key, value] of this.#dimensions) {
      if (key === METRIC_DIMENSIONS.service) continue;
      names.push(JSON.stringify(key));
      pairs.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
    }
    const aws = `{"Timestamp":${Date.now()},"CloudWatchMetrics":[{"Namespace":${this.#namespace},"Dimensions":[[${names.join(",")}]],"Metrics":[${definitions.join(",")}]}]}`;
    return `{"_aws":${aws},${pairs.join(",")},${values.join(",")}}\n`;
  }
}

/**
 * The edge's metrics in `env`: an {@link EmfMetrics} printing to standard output, or printing
 * nothing when Powertools would not (`POWERTOOLS_METRICS_DISABLED`, `POWERTOOLS_DEV`); in dev mode
 * with metrics enabled, through `console.log` as Powertools does. An empty `serviceName` falls back
 * as Powertools' does.
 *
 * @example
 * const metrics = emfMetrics({ serviceName, namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE }, process.env);
 */
export function emfMetrics(options: EmfMetricsOptions, env: NodeJS.ProcessEnv): EmfMetrics {
  const serviceName = options.serviceName || env[ENV.powertoolsServiceName]?.trim() || DEFAULT_SERVICE;
  const sink = metricsDisabled(env) ? undefined : devMode(env) ? devSink : writeStdout;
  return new EmfMetrics({ ...options, serviceName }, sink);
}

/** Powertools' dev mode prints through the global `console`. */
function devSink(line: string): void {
  console.log(line.slice(0, -1));
}
