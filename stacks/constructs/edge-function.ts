import { Construct } from "constructs";
import type { EdgeConfig, LogLevel } from "../../src/config/gateway-config";
import { ENV } from "../../src/contract/environment";
import { CLAIM_CHECK_PREFIX } from "../../src/contract/limits";
import { NodeFunction } from "./node-function";
import { PublicFunctionUrl } from "./public-function-url";

export interface EdgeFunctionProps {
  functionName: string;
  edge: EdgeConfig;
  distDir: string;
  logRetentionDays: number;
  /** The Lambda Node.js runtime (`nodejs24.x` by default). */
  runtime?: string;
  metricsNamespace: string;
  /** `GATEWAY_ROUTES`, already a JSON string (or a Terraform `jsonencode` token). */
  routesJson: string;
  queueArns: string[];
  bucketArn: string;
  bucketName: string;
  githubSecretArn: string;
  slackSecretArn: string;
  /** X-Ray active tracing and the Powertools Tracer. */
  tracing: boolean;
  /** Powertools\' and Lambda\'s application log level (default `WARN`). */
  logLevel?: LogLevel;
}

/**
 * The edge: the ingest function behind a public function URL, configured exactly as src/edge/config.ts
 * reads it. Reserved concurrency caps what a flood on the public URL can cost.
 *
 * @example
 * const edge = new EdgeFunction(this, "edge", { functionName: "webhook-gateway-dev-ingest", routesJson, … });
 * edge.url.url.functionUrl
 */
export class EdgeFunction extends Construct {
  readonly function: NodeFunction;
  readonly url: PublicFunctionUrl;

  constructor(scope: Construct, id: string, props: EdgeFunctionProps) {
    super(scope, id);
    this.function = new NodeFunction(this, "function", {
      functionName: props.functionName,
      bundle: "ingest",
      distDir: props.distDir,
      memoryMb: props.edge.memoryMb,
      timeoutSeconds: props.edge.timeoutSeconds,
      reservedConcurrency: props.edge.reservedConcurrency,
      logRetentionDays: props.logRetentionDays,
      runtime: props.runtime,
      tracing: props.tracing,
      logLevel: props.logLevel,
      environment: edgeEnvironment(props),
      statements: [
        // SendMessageBatch is authorized by sqs:SendMessage too.
        { sid: "EnqueueEvents", actions: ["sqs:SendMessage"], resources: props.queueArns },
        {
          sid: "WriteClaimChecks",
          actions: ["s3:PutObject"],
          resources: [`${props.bucketArn}/${CLAIM_CHECK_PREFIX}*`],
        },
        {
          sid: "ReadWebhookSecrets",
          actions: ["secretsmanager:GetSecretValue"],
          resources: [props.githubSecretArn, props.slackSecretArn],
        },
      ],
    });
    this.url = new PublicFunctionUrl(this, "url", { functionName: this.function.fn.functionName });
  }
}

/** What the edge's environment is made of. */
export type EdgeEnvironmentInputs = Pick<
  EdgeFunctionProps,
  "functionName" | "routesJson" | "githubSecretArn" | "slackSecretArn" | "bucketName" | "metricsNamespace"
>;

/**
 * The edge's variables, as src/edge/config.ts reads them (the benchmarks start the built bundle
 * with them, over `functionEnvironment`).
 *
 * @example
 * edgeEnvironment({ functionName: "gw-dev-ingest", routesJson: "[]", … }).GATEWAY_ROUTES // "[]"
 */
export function edgeEnvironment(props: EdgeEnvironmentInputs): Record<string, string> {
  return {
    [ENV.gatewayRoutes]: props.routesJson,
    [ENV.githubWebhookSecretId]: props.githubSecretArn,
    [ENV.slackSigningSecretId]: props.slackSecretArn,
    [ENV.claimCheckBucket]: props.bucketName,
    [ENV.powertoolsServiceName]: props.functionName,
    [ENV.powertoolsMetricsNamespace]: props.metricsNamespace,
  };
}
