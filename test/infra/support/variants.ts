/**
 * The stack variants the Terraform-level checks (schema.test.ts, terraform-validate.test.ts) cover:
 * every configuration switch that adds, removes or reshapes blocks in the synthesized JSON.
 */
import type { GatewayConfig } from "../../../src/config/gateway-config";
import { testConfig } from "./synth";

/** One stack variant: a name for test titles and the configuration that produces it. */
export interface StackVariant {
  name: string;
  /** Builds the configuration (stand-in bundles are written on each call). */
  config: () => GatewayConfig;
}

/**
 * Default; a FIFO consumer (FIFO queue and DLQ, no batching window); the scheduled redelivery job
 * (its function, table, token secret, schedule, no-retry invoke config); no reserved concurrency on
 * the edge or the job; the S3 state backend (`GATEWAY_STATE_BUCKET`).
 *
 * @example
 * for (const variant of STACK_VARIANTS) synthGateway(variant.config());
 */
export const STACK_VARIANTS: readonly StackVariant[] = [
  { name: "default", config: () => testConfig() },
  {
    name: "FIFO consumer",
    config: () => testConfig({ consumers: [{ name: "github", fifo: true, batchingWindowSeconds: 0 }] }),
  },
  {
    name: "redelivery job",
    config: () => testConfig({ redelivery: { repo: "octo-org/webhooks", hookId: 4242 } }),
  },
  {
    name: "no reserved concurrency, cron redelivery",
    config: () =>
      testConfig(
        { redelivery: { app: true, schedule: "cron(0/30 * * * ? *)", reservedConcurrency: null } },
        { GATEWAY_EDGE_RESERVED_CONCURRENCY: "none" },
      ),
  },
  {
    name: "S3 state backend",
    config: () => testConfig({}, { GATEWAY_STATE_BUCKET: "webhook-gateway-tf-state" }),
  },
];
