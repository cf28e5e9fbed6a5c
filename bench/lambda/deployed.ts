/**
 * What the benchmarks need to run the built bundles as Lambda runs them: the AWS stub in a process
 * of its own, the environment the stack gives the edge (`functionEnvironment` + `edgeEnvironment`,
 * routes from `edgeRoutes`) plus what the Lambda runtime sets, and function URL events.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_LOG_LEVEL, defaultConfig, type LogLevel } from "../../src/config/gateway-config";
import { edgeEnvironment } from "../../stacks/constructs/edge-function";
import { functionEnvironment } from "../../stacks/constructs/node-function";
import { edgeRoutes } from "../../stacks/environment-limits";
import type { BenchRequest } from "../lib/corpus";
import { GITHUB_SECRET, ROOT, SLACK_SECRET } from "../lib/corpus";

const ACCOUNT = "000000000000";
const SECRET_IDS = {
  github: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:gw/github-webhook-secret`,
  slack: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:gw/slack-signing-secret`,
};

export interface Stub {
  url: string;
  /** Requests answered so far, by `X-Amz-Target`. */
  counts(): Promise<Record<string, number>>;
  stop(): void;
}

/**
 * Starts bench/lambda/stub.cjs (SQS and Secrets Manager in the AWS JSON protocol) in its own process.
 *
 * @example
 * const stub = await startStub(); … stub.stop();
 */
export function startStub(): Promise<Stub> {
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, "stub.cjs")], {
    env: {
      PATH: process.env.PATH ?? "",
      STUB_SECRETS: JSON.stringify({ [SECRET_IDS.github]: GITHUB_SECRET, [SECRET_IDS.slack]: SLACK_SECRET }),
    },
    stdio: ["pipe", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk) => {
      out += chunk;
      if (!out.includes("\n")) return;
      const { url } = JSON.parse(out.split("\n")[0]!) as { url: string };
      resolve({
        url,
        counts: async () => (await (await fetch(url)).json()) as Record<string, number>,
        stop: () => child.stdin!.end(),
      });
    });
    child.on("exit", (code) => reject(new Error(`the AWS stub exited with ${code}`)));
  });
}

/** What the Lambda runtime itself sets for a function (credentials included), pointed at the stub. */
export function lambdaRuntimeEnv(
  functionName: string,
  stubUrl: string,
  logLevel: string = DEFAULT_LOG_LEVEL,
): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    AWS_REGION: "us-east-1",
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "ASIABENCHBENCHBENCH0",
    AWS_SECRET_ACCESS_KEY: "bench/bench/bench/bench/bench/bench/bench0",
    AWS_SESSION_TOKEN: "bench-session-token",
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "512",
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
    // The stack's logging configuration (`loggingConfig`): JSON, the application's level.
    AWS_LAMBDA_LOG_FORMAT: "JSON",
    AWS_LAMBDA_LOG_LEVEL: logLevel,
    AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x",
    _HANDLER: "index.handler",
    TZ: ":UTC",
    // Not in Lambda: where this machine's stand-ins for SQS and Secrets Manager listen.
    AWS_ENDPOINT_URL_SQS: stubUrl,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: stubUrl,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
}

export type EdgeRoutes = "one" | "default";

/**
 * The edge's environment as the stack gives it (default configuration: tracing off, secrets from
 * Secrets Manager), with `routes` either the default consumers' (as `edgeRoutes` computes them) or
 * one catch-all route; `tracing` and `nodeOptions` override for the comparison rows.
 *
 * @example
 * const env = deployedEdgeEnv(stub.url, { routes: "default" });
 */
export function deployedEdgeEnv(
  stubUrl: string,
  options: { routes: EdgeRoutes; tracing?: boolean; nodeOptions?: string; logLevel?: LogLevel },
): Record<string, string> {
  const config = defaultConfig(ROOT);
  const functionName = `${config.name}-${config.stage}-ingest`;
  const queueUrl = (name: string) => `${stubUrl}/${ACCOUNT}/${config.name}-${config.stage}-${name}`;
  const routes =
    options.routes === "default"
      ? edgeRoutes(
          config.consumers,
          config.consumers.map((consumer) => queueUrl(consumer.name)),
        )
      : [{ name: "archive", queueUrl: queueUrl("archive"), types: ["*"] }];
  const logLevel = options.logLevel ?? config.logLevel;
  return {
    ...lambdaRuntimeEnv(functionName, stubUrl, logLevel),
    ...functionEnvironment(options.tracing ?? config.tracing, logLevel),
    ...edgeEnvironment({
      functionName,
      routesJson: JSON.stringify(routes),
      githubSecretArn: SECRET_IDS.github,
      slackSecretArn: SECRET_IDS.slack,
      bucketName: `${config.name}-${config.stage}-claims-bench`,
      metricsNamespace: config.metricsNamespace,
    }),
    ...(options.nodeOptions ? { NODE_OPTIONS: options.nodeOptions } : {}),
  };
}

/** The floor-with-one-send bundle's environment: the same runtime variables, an inline secret, one queue. */
export function floorEnv(stubUrl: string): Record<string, string> {
  return {
    ...lambdaRuntimeEnv("floor-send", stubUrl),
    GITHUB_WEBHOOK_SECRET: GITHUB_SECRET,
    FLOOR_QUEUE_URL: `${stubUrl}/${ACCOUNT}/floor`,
  };
}

/** A delivery as a function URL event (payload format 2.0): a JSON body arrives as text. */
export function functionUrlEvent(request: BenchRequest) {
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: request.path,
    rawQueryString: "",
    headers: { ...request.headers, "content-type": request.headers["content-type"] ?? "application/json" },
    requestContext: {
      http: { method: request.method, path: request.path, protocol: "HTTP/1.1", sourceIp: "192.0.2.1" },
      requestId: "bench",
      timeEpoch: Date.now(),
    },
    body: request.text,
    isBase64Encoded: false,
  };
}

/**
 * Writes the requests as function URL events to `file` (JSON array) and returns the path.
 *
 * @example
 * writeEvents(join(dir, "github.json"), githubCorpus());
 */
export function writeEvents(file: string, requests: readonly BenchRequest[]): string {
  writeFileSync(file, JSON.stringify(requests.map(functionUrlEvent)));
  return file;
}
