import fs from "node:fs";
import { Metrics } from "@aws-lambda-powertools/metrics";
import type { NormalizedEvent } from "../../../src/contract/event";
import { EDGE_METRICS, METRICS_NAMESPACE } from "../../../src/contract/metrics";
import {
  COUNT,
  type EdgeMetrics,
  emfMetrics,
  MetricsConfigError,
  metricsDisabled,
  writeStdout,
} from "../../../src/edge/emf";
import type { Outcome } from "../../../src/edge/gateway";
import type { EdgeLogger } from "../../../src/edge/lazy-logger";
import { observe } from "../../../src/edge/observe";

const NAMES = [
  "POWERTOOLS_METRICS_DISABLED",
  "POWERTOOLS_DEV",
  "POWERTOOLS_SERVICE_NAME",
  "POWERTOOLS_METRICS_NAMESPACE",
];
const saved = Object.fromEntries(NAMES.map((name) => [name, process.env[name]]));
const NOW = 1_700_000_000_123;

function setEnv(env: Record<string, string>): void {
  for (const name of NAMES) delete process.env[name];
  Object.assign(process.env, env);
}

/** What a Powertools `Metrics` and ours print: on `process.stdout` (its `Console`'s), `process.stderr`, or `console.log` in dev mode. */
interface Printed {
  stdout: string[];
  stderr: string[];
  console: string[];
}

let printed: Printed;

beforeEach(() => {
  setEnv({});
  printed = { stdout: [], stderr: [], console: [] };
  jest.spyOn(Date, "now").mockReturnValue(NOW);
  jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    printed.stdout.push(String(chunk));
    return true;
  });
  jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    printed.stderr.push(String(chunk));
    return true;
  });
  // Ours writes to fd 1 directly (`writeStdout`): read as the same standard output.
  jest.spyOn(fs, "writeSync").mockImplementation(((fd: number, bytes: Uint8Array, offset?: number | null) => {
    if (fd !== 1) throw new Error(`unexpected fd ${fd}`);
    printed.stdout.push(Buffer.from(bytes.subarray(offset ?? 0)).toString("utf8"));
    return bytes.length - (offset ?? 0);
  }) as typeof fs.writeSync);
  jest.spyOn(console, "log").mockImplementation((line: string) => void printed.console.push(line));
  jest.spyOn(console, "warn").mockImplementation((line: string) => void printed.stderr.push(`${line}\n`));
});

afterEach(() => {
  jest.restoreAllMocks();
  for (const name of NAMES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

const silent = { level: 28 } as EdgeLogger;
const event = { attributes: { id: "github:1", type: "com.github.push", source: "repo" } } as NormalizedEvent;
const queued = (unrouted: boolean): Outcome => ({
  status: "queued",
  provider: "github",
  event,
  eventId: "github:1",
  queues: unrouted ? [] : ["archive"],
  claimChecked: false,
  unrouted,
});

const OUTCOMES: [string, Outcome][] = [
  ["accepted and queued", queued(false)],
  ["unrouted", queued(true)],
  ["an answered handshake", { status: "answered", provider: "slack", handshake: "url_verification" }],
  [
    "rejected (a single metric with a reason)",
    { status: "rejected", provider: "github", errorCode: "invalid_signature", error: new Error("bad") },
  ],
  ["failed", { status: "failed", errorCode: "queue_unavailable", error: new Error("down") }],
];

/** One request as the handler runs it: `observe`, then `publishStoredMetrics`. */
function request(metrics: EdgeMetrics, outcome: Outcome): string[] {
  printed.stdout = [];
  observe(outcome, silent, metrics);
  metrics.publishStoredMetrics();
  return printed.stdout;
}

const OPTIONS = { serviceName: "webhook-gateway-dev-ingest", namespace: METRICS_NAMESPACE };

describe.each(OUTCOMES)("the EMF of a request %s", (_, outcome) => {
  it("is byte for byte what Powertools' Metrics prints", () => {
    const powertools = request(new Metrics(OPTIONS), outcome);
    const ours = request(emfMetrics(OPTIONS, process.env), outcome);

    expect(ours).toEqual(powertools);
    expect(powertools.length).toBe(outcome.status === "rejected" ? 2 : 1);
    expect(printed.stderr).toEqual([]);
  });

  it("is nothing at all with POWERTOOLS_METRICS_DISABLED", () => {
    setEnv({ POWERTOOLS_METRICS_DISABLED: "true" });
    expect(request(emfMetrics(OPTIONS, process.env), outcome)).toEqual([]);
    expect(request(new Metrics(OPTIONS), outcome)).toEqual([]);
  });
});

test("a rejection prints its single metric first, then the request's", () => {
  const [rejected, received] = request(emfMetrics(OPTIONS, process.env), OUTCOMES[3]![1]);

  expect(rejected).toBe(
    `{"_aws":{"Timestamp":${NOW},"CloudWatchMetrics":[{"Namespace":"WebhookGateway","Dimensions":[["service","reason"]],"Metrics":[{"Name":"Rejected","Unit":"Count"}]}]},"service":"webhook-gateway-dev-ingest","reason":"invalid_signature","Rejected":1}\n`,
  );
  expect(received).toBe(
    `{"_aws":{"Timestamp":${NOW},"CloudWatchMetrics":[{"Namespace":"WebhookGateway","Dimensions":[["service"]],"Metrics":[{"Name":"Received","Unit":"Count"}]}]},"service":"webhook-gateway-dev-ingest","Received":1}\n`,
  );
});

test.each<[string, Record<string, string>, { serviceName: string; namespace: string }]>([
  ["an empty namespace (Powertools' default, and its warning)", {}, { serviceName: "svc", namespace: "" }],
  [
    "an empty service name (the environment's)",
    { POWERTOOLS_SERVICE_NAME: " env-svc " },
    { serviceName: "", namespace: "N" },
  ],
  ["no service name at all", {}, { serviceName: "", namespace: "N" }],
  ["names JSON must escape", {}, { serviceName: 'a "quoted"\\ naïve\u2028 svc', namespace: "Ns/\u0001" }],
])("%s prints as Powertools does", (_, env, options) => {
  setEnv(env);
  const capture = (metrics: EdgeMetrics) => {
    printed.stderr = [];
    const lines = request(metrics, OUTCOMES[3]![1]);
    return { lines, stderr: printed.stderr };
  };
  expect(capture(emfMetrics(options, process.env))).toEqual(capture(new Metrics(options)));
});

test("a metric added twice and dimensions added twice print as Powertools prints them", () => {
  const run = (metrics: EdgeMetrics) => {
    printed.stdout = [];
    printed.stderr = [];
    metrics.addMetric(EDGE_METRICS.received, COUNT, 1);
    metrics.addMetric(EDGE_METRICS.received, COUNT, 2);
    metrics.addMetric(EDGE_METRICS.queued, COUNT, 1);
    metrics.addMetric(EDGE_METRICS.received, COUNT, 3);
    metrics.publishStoredMetrics();
    const single = metrics.singleMetric();
    single.addDimension("reason", "a");
    single.addDimension("reason", "b");
    single.addDimension("service", "other");
    single.addDimension("empty", "");
    single.addMetric(EDGE_METRICS.rejected, COUNT, 1);
    return { ...printed, console: undefined };
  };
  const ours = run(emfMetrics(OPTIONS, process.env));
  expect(ours).toEqual(run(new Metrics(OPTIONS)));
  expect(ours.stdout[0]).toContain(`"Received":[1,2,3],"Queued":1}`);
  expect(ours.stderr).toHaveLength(4);
});

test("publishing with nothing stored prints nothing but Powertools' warning", () => {
  const ours = emfMetrics(OPTIONS, process.env);
  ours.publishStoredMetrics();
  const warned = [...printed.stderr];
  printed.stderr = [];
  new Metrics(OPTIONS).publishStoredMetrics();

  expect(printed.stdout).toEqual([]);
  expect(warned).toEqual(printed.stderr);
  expect(warned).toHaveLength(1);
});

test("in dev mode with metrics enabled, the document goes through console.log as Powertools' does", () => {
  setEnv({ POWERTOOLS_DEV: "true", POWERTOOLS_METRICS_DISABLED: "false" });
  const run = (metrics: EdgeMetrics) => {
    printed.console = [];
    expect(request(metrics, OUTCOMES[0]![1])).toEqual([]);
    return printed.console;
  };
  const ours = run(emfMetrics(OPTIONS, process.env));
  expect(ours).toEqual(run(new Metrics(OPTIONS)));
  expect(ours).toHaveLength(1);
});

test.each<Record<string, string>>([
  {},
  { POWERTOOLS_METRICS_DISABLED: "true" },
  { POWERTOOLS_METRICS_DISABLED: " YES " },
  { POWERTOOLS_METRICS_DISABLED: "1" },
  { POWERTOOLS_METRICS_DISABLED: "off" },
  { POWERTOOLS_METRICS_DISABLED: "false", POWERTOOLS_DEV: "true" },
  { POWERTOOLS_DEV: "true" },
  { POWERTOOLS_DEV: "on" },
  { POWERTOOLS_DEV: "nonsense" },
  { POWERTOOLS_DEV: "false" },
])("metrics are disabled in %j exactly when Powertools' are", (env) => {
  setEnv(env);
  // `isDisabled` is protected: read it as a subclass would.
  const disabled = new (class extends Metrics {
    readonly off = this.isDisabled();
  })(OPTIONS).off;
  expect(metricsDisabled(process.env)).toBe(disabled);
});

test("a POWERTOOLS_METRICS_DISABLED that is not a boolean is refused, as Powertools refuses it", () => {
  setEnv({ POWERTOOLS_METRICS_DISABLED: "maybe" });
  expect(() => new Metrics(OPTIONS)).toThrow(
    "Environment variable POWERTOOLS_METRICS_DISABLED must be a boolean",
  );
  expect(() => emfMetrics(OPTIONS, process.env)).toThrow(MetricsConfigError);
  expect(() => emfMetrics(OPTIONS, process.env)).toThrow(
    "Environment variable POWERTOOLS_METRICS_DISABLED must be a boolean",
  );
});

describe("writeStdout", () => {
  it("writes the whole line to fd 1, resuming after a partial write", () => {
    const calls: [number, number][] = [];
    jest.spyOn(fs, "writeSync").mockImplementation(((
      fd: number,
      bytes: Uint8Array,
      offset?: number | null,
    ) => {
      calls.push([fd, offset ?? 0]);
      return Math.min(4, bytes.length - (offset ?? 0));
    }) as typeof fs.writeSync);

    writeStdout("naïve\n");

    // "naïve\n" is 7 bytes: 4, then 3.
    expect(calls).toEqual([
      [1, 0],
      [1, 4],
    ]);
    expect(printed.stdout).toEqual([]);
  });

  it("hands what a full pipe (EAGAIN) did not take to process.stdout", () => {
    let first = true;
    jest.spyOn(fs, "writeSync").mockImplementation((() => {
      if (!first) throw Object.assign(new Error("EAGAIN"), { code: "EAGAIN" });
      first = false;
      return 3;
    }) as typeof fs.writeSync);

    writeStdout("abcdef\n");

    expect(printed.stdout).toEqual(["def\n"]);
  });

  it("drops the line on any other error, as Console does", () => {
    jest.spyOn(fs, "writeSync").mockImplementation(() => {
      throw Object.assign(new Error("EPIPE"), { code: "EPIPE" });
    });

    expect(() => writeStdout("x\n")).not.toThrow();
    expect(printed.stdout).toEqual([]);
  });

  it("swallows an error of the stream it falls back to, as Console does", () => {
    const error = Object.assign(new Error("EPIPE"), { code: "EPIPE" });
    jest.spyOn(fs, "writeSync").mockImplementation(() => {
      throw Object.assign(new Error("EAGAIN"), { code: "EAGAIN" });
    });
    jest.spyOn(process.stdout, "write").mockImplementation(((_: Uint8Array, callback: (e: Error) => void) => {
      callback(error);
      return false;
    }) as typeof process.stdout.write);
    // Whoever runs the tests may listen on stdout's errors already (a pipe to a CI log does): set
    // them aside, so that this is the stream as Lambda gives it, with no listener.
    const others = process.stdout.listeners("error") as ((error: Error) => void)[];
    process.stdout.removeAllListeners("error");
    try {
      writeStdout("x\n");

      // The stream's `error` event that follows a failed write throws nothing.
      expect(process.stdout.listenerCount("error")).toBe(1);
      expect(process.stdout.emit("error", error)).toBe(true);
      expect(process.stdout.listenerCount("error")).toBe(0);
    } finally {
      for (const listener of others) process.stdout.on("error", listener);
    }
  });
});
