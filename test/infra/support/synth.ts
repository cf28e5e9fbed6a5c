/**
 * Synthesizes the gateway for the infrastructure tests. Synthesis only zips what is in the dist
 * directory, so these tests use tiny stand-in bundles in a temporary directory; the bundles
 * themselves are covered by bundle.test.ts, which runs esbuild for real.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { Testing } from "cdktf";
import type { GatewayConfig } from "../../../src/config/gateway-config";
import { type ConfigFile, loadGatewayConfig } from "../../../src/config/load";
import { ROOT } from "../../../stacks/bundle";
import { GatewayStack } from "../../../stacks/gateway-stack";

/** Secret values a careless stack could leak into its configuration; none may appear in the JSON. */
export const TEST_SECRETS = {
  GITHUB_WEBHOOK_SECRET: "test-github-webhook-secret-3f9a1c",
  SLACK_SIGNING_SECRET: "test-slack-signing-secret-8e2b7d",
  SLACK_BOT_TOKEN: "xoxb-test-bot-token-5c4e1a",
} as const;

/** A resource or data source block as synthesized (snake_case keys). */
export type Block = Record<string, unknown>;

/** The parts of cdk.tf.json the tests read. */
export interface Synthesized {
  terraform: {
    required_providers: Record<string, { source: string; version: string }>;
    required_version?: string;
    backend: unknown;
  };
  provider: Record<string, Block[]>;
  resource: Record<string, Record<string, Block>>;
  data: { aws_iam_policy_document: Record<string, Block> };
  output: Record<string, { value: unknown }>;
}

/**
 * Writes a stand-in `<name>/index.js` for each name into a fresh temporary directory.
 *
 * @example
 * const dist = stubBundles(["ingest", "archive"]);
 */
export function stubBundles(names: readonly string[]): string {
  const dist = mkdtempSync(join(tmpdir(), "gateway-dist-"));
  for (const name of names) {
    mkdirSync(join(dist, name), { recursive: true });
    writeFileSync(
      join(dist, name, "index.js"),
      `exports.handler = async () => ({ name: ${JSON.stringify(name)} });\n`,
    );
  }
  return dist;
}

/**
 * The configuration the tests deploy: the defaults (no gateway.config.json, no GATEWAY_* variables
 * from the developer's shell), plus `file` overrides and the `env` variables given (none by default),
 * with stand-in bundles for every function.
 *
 * @example
 * const config = testConfig({ stage: "test" });
 * const withS3State = testConfig({}, { GATEWAY_STATE_BUCKET: "my-tf-state" });
 */
export function testConfig(file: ConfigFile = {}, env: Record<string, string> = {}): GatewayConfig {
  const config = loadGatewayConfig({ root: ROOT, env, file });
  const bundles = [
    "ingest",
    ...config.consumers.map((c) => basename(c.entry, ".ts")),
    ...(config.redelivery.enabled ? ["redeliver"] : []),
  ];
  return { ...config, distDir: stubBundles(bundles) };
}

/**
 * Synthesizes a gateway stack and returns the JSON text and its parsed form.
 *
 * @example
 * const { json, text } = synthGateway();
 */
export function synthGateway(config: GatewayConfig = testConfig()): { text: string; json: Synthesized } {
  const stack = new GatewayStack(Testing.app(), config);
  const text = Testing.synth(stack);
  return { text, json: JSON.parse(text) as Synthesized };
}

/**
 * Every block of one resource type, keyed by logical id.
 *
 * @example
 * blocks(json, "aws_sqs_queue")
 */
export function blocks(json: Synthesized, type: string): Record<string, Block> {
  return json.resource[type] ?? {};
}

/**
 * The single block of `type` whose `key` equals `value`; fails loudly otherwise.
 *
 * @example
 * const edge = findBlock(json, "aws_lambda_function", "function_name", "webhook-gateway-test-ingest");
 */
export function findBlock(
  json: Synthesized,
  type: string,
  key: string,
  value: unknown,
): { id: string; block: Block } {
  const matches = Object.entries(blocks(json, type)).filter(([, block]) => block[key] === value);
  if (matches.length !== 1)
    throw new Error(`expected one ${type} with ${key} = ${value}, found ${matches.length}`);
  const [id, block] = matches[0]!;
  return { id, block };
}

/**
 * A Terraform reference to an attribute of a resource: `${aws_sqs_queue.<id>.arn}`.
 *
 * @example
 * ref("aws_sqs_queue", id, "arn")
 */
export function ref(type: string, id: string, attribute: string): string {
  return `\${${type}.${id}.${attribute}}`;
}
