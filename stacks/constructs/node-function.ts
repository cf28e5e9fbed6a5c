import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { Construct } from "constructs";
import { DEFAULT_LAMBDA_RUNTIME, DEFAULT_LOG_LEVEL, type LogLevel } from "../../src/config/gateway-config";
import { ENV } from "../../src/contract/environment";
import { FunctionRole, type PolicyStatement } from "./function-role";
import { LambdaBundle } from "./lambda-bundle";

export interface NodeFunctionProps {
  /** Function, role and log group name. */
  functionName: string;
  /** Bundle directory name under `distDir`. */
  bundle: string;
  distDir: string;
  memoryMb: number;
  timeoutSeconds: number;
  logRetentionDays: number;
  /** The Lambda Node.js runtime (default `nodejs24.x`). */
  runtime?: string;
  environment: Record<string, string>;
  /** What the function itself uses; logs and X-Ray are added here. */
  statements: PolicyStatement[];
  reservedConcurrency?: number | null;
  /** X-Ray active tracing and the Powertools Tracer (default false: pass-through, no Tracer loaded). */
  tracing?: boolean;
  /** Powertools' and Lambda's application log level (default `WARN`). */
  logLevel?: LogLevel;
}

/**
 * The environment every function gets before its own: whether the Powertools Tracer loads and
 * Powertools' log level (`WARN` by default: a line per delivery at INFO costs the edge CPU and
 * CloudWatch Logs ingestion; the metrics count every delivery at any level). No
 * `NODE_OPTIONS=--enable-source-maps`: source-map support at run time cost the edge ~32 ms of
 * cold start; the bundles keep their `.map` files for symbolicating stack traces offline.
 *
 * @example
 * functionEnvironment(false) // { POWERTOOLS_TRACE_ENABLED: "false", POWERTOOLS_LOG_LEVEL: "WARN" }
 */
export function functionEnvironment(
  tracing: boolean,
  logLevel: LogLevel = DEFAULT_LOG_LEVEL,
): Record<string, string> {
  return { [ENV.powertoolsTraceEnabled]: String(tracing), [ENV.powertoolsLogLevel]: logLevel };
}

/**
 * Lambda's logging of a function: JSON (Powertools' lines pass through as they are), its own
 * START/END/REPORT lines only at INFO and below (they are INFO lines; ~345 bytes per invocation
 * otherwise), the application's lines filtered at `logLevel` as Powertools filters them.
 *
 * @example
 * loggingConfig("WARN", "/aws/lambda/gw-dev-ingest")
 * // { logFormat: "JSON", logGroup: "/aws/lambda/gw-dev-ingest", systemLogLevel: "WARN", applicationLogLevel: "WARN" }
 */
export function loggingConfig(logLevel: LogLevel, logGroup: string) {
  const systemLogLevel = logLevel === "DEBUG" || logLevel === "INFO" ? logLevel : "WARN";
  return { logFormat: "JSON", logGroup, systemLogLevel, applicationLogLevel: logLevel };
}

/**
 * A Node.js 22 arm64 function from an esbuild bundle, with X-Ray active tracing when `tracing`, its own log group
 * (created first, with retention, so Lambda never creates an unbounded one) and its own role.
 *
 * @example
 * const fn = new NodeFunction(this, "ingest", { functionName: "gw-dev-ingest", bundle: "ingest", … });
 */
export class NodeFunction extends Construct {
  readonly fn: LambdaFunction;
  readonly logGroup: CloudwatchLogGroup;
  readonly role: FunctionRole;

  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    super(scope, id);
    const logLevel = props.logLevel ?? DEFAULT_LOG_LEVEL;
    const bundle = new LambdaBundle(this, "bundle", { distDir: props.distDir, name: props.bundle });
    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays,
    });
    this.role = new FunctionRole(this, "role", {
      name: props.functionName,
      statements: [
        ...props.statements,
        {
          sid: "WriteOwnLogs",
          actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
          resources: [`${this.logGroup.arn}:*`],
        },
        // X-Ray has no resource-level permissions for these actions: "*" is the only valid resource.
        {
          sid: "XRayTraces",
          actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
          resources: ["*"],
        },
      ],
    });
    this.fn = new LambdaFunction(this, "function", {
      functionName: props.functionName,
      role: this.role.role.arn,
      filename: bundle.asset.path,
      sourceCodeHash: bundle.asset.assetHash,
      handler: "index.handler",
      runtime: props.runtime ?? DEFAULT_LAMBDA_RUNTIME,
      architectures: ["arm64"],
      memorySize: props.memoryMb,
      timeout: props.timeoutSeconds,
      reservedConcurrentExecutions: props.reservedConcurrency ?? undefined,
      tracingConfig: { mode: props.tracing ? "Active" : "PassThrough" },
      loggingConfig: loggingConfig(logLevel, this.logGroup.name),
      environment: {
        variables: { ...functionEnvironment(props.tracing ?? false, logLevel), ...props.environment },
      },
      // The log group exists before the function can write to it, and the grants before an event
      // source mapping checks them (Lambda validates the role when the mapping is created).
      dependsOn: [this.logGroup, this.role.policy],
    });
  }
}
