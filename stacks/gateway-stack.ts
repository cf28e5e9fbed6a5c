import { Fn, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { GatewayConfig } from "../src/config/gateway-config";
import { ClaimCheckBucket } from "./constructs/claim-check-bucket";
import { ConsumerFunction } from "./constructs/consumer-function";
import { EdgeFunction } from "./constructs/edge-function";
import { EventTables } from "./constructs/event-tables";
import { GatewayAlarms } from "./constructs/gateway-alarms";
import { RedeliveryJob } from "./constructs/redelivery-job";
import { WebhookSecrets } from "./constructs/webhook-secrets";
import { checkEnvironmentSizes, edgeRoutes } from "./environment-limits";
import { configureProvider } from "./provider";

/**
 * The stack name for a configuration: one stack (and state) per stage.
 *
 * @example
 * stackName(config) // "webhook-gateway-dev"
 */
export function stackName(config: Pick<GatewayConfig, "name" | "stage">): string {
  return `${config.name}-${config.stage}`;
}

/**
 * The whole gateway: secrets, state (tables, claim-check bucket), one queue + DLQ + function per
 * consumer, the edge behind its function URL, the optional scheduled redelivery, alarms and outputs.
 *
 * @example
 * const app = new App();
 * new GatewayStack(app, loadGatewayConfig({ root }));
 * app.synth();
 */
export class GatewayStack extends TerraformStack {
  readonly edge: EdgeFunction;
  readonly consumers: ConsumerFunction[];
  /** The scheduled redelivery, when `redelivery.enabled`. */
  readonly redelivery?: RedeliveryJob;

  constructor(scope: Construct, config: GatewayConfig) {
    super(scope, stackName(config));
    // Before anything is built: Lambda would refuse an environment over 4 KB only at apply.
    checkEnvironmentSizes(config);
    configureProvider(this, config);
    const prefix = stackName(config);
    const storage = createStorage(this, config, prefix);
    this.consumers = createConsumers(this, config, prefix, storage);
    this.edge = createEdge(this, config, prefix, storage, this.consumers);
    if (config.redelivery.enabled) {
      this.redelivery = new RedeliveryJob(this, "redelivery", {
        prefix,
        redelivery: config.redelivery,
        tokenSecretName: config.secretNames.githubToken,
        secretRecoveryWindowDays: config.secretRecoveryWindowDays,
        deletionProtection: config.deletionProtection,
        distDir: config.distDir,
        logRetentionDays: config.logRetentionDays,
        runtime: config.lambdaRuntime,
        tracing: config.tracing,
        logLevel: config.logLevel,
      });
    }
    createAlarms(this, config, prefix, this.consumers, this.redelivery);
    declareOutputs(this, config, storage, this.consumers, this.edge, this.redelivery);
  }
}

/** Secrets, tables and the claim-check bucket: what the functions are given access to. */
interface Storage {
  secrets: WebhookSecrets;
  tables: EventTables;
  bucket: ClaimCheckBucket["bucket"];
}

function createStorage(stack: Construct, config: GatewayConfig, prefix: string): Storage {
  const secrets = new WebhookSecrets(stack, "secrets", {
    names: config.secretNames,
    recoveryWindowDays: config.secretRecoveryWindowDays,
  });
  const tables = new EventTables(stack, "tables", {
    prefix,
    deletionProtection: config.deletionProtection,
    pointInTimeRecovery: config.pointInTimeRecovery,
  });
  const { bucket } = new ClaimCheckBucket(stack, "claim-checks", {
    bucketPrefix: `${prefix}-claims-`,
    expirationDays: config.claimCheckExpirationDays,
  });
  return { secrets, tables, bucket };
}

/** What every function of the stack shares. */
function commonProps(config: GatewayConfig) {
  return {
    distDir: config.distDir,
    logRetentionDays: config.logRetentionDays,
    runtime: config.lambdaRuntime,
    metricsNamespace: config.metricsNamespace,
    tracing: config.tracing,
    logLevel: config.logLevel,
  };
}

function createConsumers(
  stack: Construct,
  config: GatewayConfig,
  prefix: string,
  { secrets, tables, bucket }: Storage,
): ConsumerFunction[] {
  const resources = {
    idempotencyTableArn: tables.idempotency.arn,
    idempotencyTableName: tables.idempotency.name,
    archiveTableArn: tables.archive.arn,
    archiveTableName: tables.archive.name,
    bucketArn: bucket.arn,
    bucketName: bucket.bucket,
    slackBotTokenArn: secrets.slackBotToken.arn,
    githubAppArn: secrets.githubApp.arn,
  };
  return config.consumers.map(
    (consumer) =>
      new ConsumerFunction(stack, `consumer-${consumer.name}`, {
        ...commonProps(config),
        prefix,
        consumer,
        resources,
        idempotencyTtlSeconds: config.idempotencyTtlSeconds,
        archiveRetentionDays: config.archiveRetentionDays,
      }),
  );
}

function createEdge(
  stack: Construct,
  config: GatewayConfig,
  prefix: string,
  { secrets, bucket }: Storage,
  consumers: readonly ConsumerFunction[],
): EdgeFunction {
  // GATEWAY_ROUTES as src/edge/config.ts and src/contract/routing.ts read it; queue URLs are only known at apply.
  const routes = edgeRoutes(
    config.consumers,
    consumers.map((c) => c.queues.queue.url),
  );
  return new EdgeFunction(stack, "edge", {
    ...commonProps(config),
    functionName: `${prefix}-ingest`,
    edge: config.edge,
    routesJson: Fn.jsonencode(routes),
    queueArns: consumers.map((c) => c.queues.queue.arn),
    bucketArn: bucket.arn,
    bucketName: bucket.bucket,
    githubSecretArn: secrets.githubWebhook.arn,
    slackSecretArn: secrets.slackSigningSecret.arn,
  });
}

function createAlarms(
  stack: Construct,
  config: GatewayConfig,
  prefix: string,
  consumers: readonly ConsumerFunction[],
  redelivery: RedeliveryJob | undefined,
): void {
  const edgeName = `${prefix}-ingest`;
  new GatewayAlarms(stack, "alarms", {
    prefix,
    edgeFunctionName: edgeName,
    edgeServiceName: edgeName,
    metricsNamespace: config.metricsNamespace,
    queues: consumers.map((c, i) => ({
      consumer: config.consumers[i]!.name,
      queue: c.queues.queue.name,
      dlq: c.queues.dlq.name,
    })),
    topicArn: config.alarms.topicArn,
    maxMessageAgeSeconds: config.alarms.maxMessageAgeSeconds,
    signatureFailures: config.alarms.signatureFailures,
    redeliveryFunctionName: redelivery ? `${prefix}-redeliver` : undefined,
  });
}

function declareOutputs(
  stack: Construct,
  config: GatewayConfig,
  { secrets, tables, bucket }: Storage,
  consumers: readonly ConsumerFunction[],
  edge: EdgeFunction,
  redelivery: RedeliveryJob | undefined,
): void {
  const byConsumer = (pick: (c: ConsumerFunction) => string) =>
    Object.fromEntries(consumers.map((c, i) => [config.consumers[i]!.name, pick(c)]));
  const output = (id: string, value: unknown, description: string) =>
    new TerraformOutput(stack, id, { value, description });
  output("function_url", edge.url.url.functionUrl, "Webhook endpoint: <url>github and <url>slack");
  output(
    "queue_urls",
    byConsumer((c) => c.queues.queue.url),
    "Consumer queues",
  );
  output(
    "dlq_urls",
    byConsumer((c) => c.queues.dlq.url),
    "Dead-letter queues (redrive from the console or CLI)",
  );
  output("idempotency_table", tables.idempotency.name, "Idempotency records");
  output("archive_table", tables.archive.name, "Event archive");
  output("claim_check_bucket", bucket.bucket, "Claim checks for events over the SQS limit");
  output(
    "secret_arns",
    {
      github_webhook: secrets.githubWebhook.arn,
      slack_signing_secret: secrets.slackSigningSecret.arn,
      slack_bot_token: secrets.slackBotToken.arn,
      github_app: secrets.githubApp.arn,
    },
    "Set with: aws secretsmanager put-secret-value --secret-id <arn> --secret-string …",
  );
  if (redelivery) declareRedeliveryOutputs(stack, redelivery);
}

function declareRedeliveryOutputs(stack: Construct, job: RedeliveryJob): void {
  const output = (id: string, value: unknown, description: string) =>
    new TerraformOutput(stack, id, { value, description });
  output(
    "redelivery_function",
    job.function.fn.functionName,
    "Scheduled redelivery of failed GitHub deliveries",
  );
  output("redelivery_table", job.table.name, "Scheduled redelivery checkpoints");
  output(
    "github_token_secret_arn",
    job.tokenSecret.arn,
    "GitHub token of the scheduled redelivery: set it with aws secretsmanager put-secret-value",
  );
}
