/**
 * Lambda's 4 KB limit on a function's environment, checked before synthesis: the planned
 * environments mirror the synthesized ones, and an overflow fails naming the function, its size
 * and the limit (issue 16: some 15 consumers overflow the edge's GATEWAY_ROUTES).
 */
import { GatewayConfigError } from "../../src/config/validate";
import { environmentBytes, plannedEnvironments } from "../../stacks/environment-limits";
import { blocks, synthGateway, testConfig } from "./support/synth";
import { STACK_VARIANTS } from "./support/variants";

const PREFIX = "webhook-gateway-dev";

/** `count` consumers named like real ones, each with two type patterns. */
function manyConsumers(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    name: `team-${i}-events`,
    entry: "handlers/consumers/github.ts",
    types: [`com.github.pull_request.*`, `com.github.issues.*`],
  }));
}

function synthesizedVariables(
  json: ReturnType<typeof synthGateway>["json"],
): Map<string, Record<string, string>> {
  return new Map(
    Object.values(blocks(json, "aws_lambda_function")).map((fn) => [
      String(fn.function_name),
      (fn.environment as { variables: Record<string, string> }).variables,
    ]),
  );
}

describe.each(STACK_VARIANTS.map((v) => [v.name, v] as const))(
  "the planned environments of the %s stack",
  (_, variant) => {
    it("name every function, with its variables, and the values known before apply as synthesized", () => {
      const config = variant.config();
      const synthesized = synthesizedVariables(synthGateway(config).json);
      const planned = plannedEnvironments(config);
      expect(planned.map((p) => p.functionName).sort()).toEqual([...synthesized.keys()].sort());
      for (const { functionName, variables } of planned) {
        const actual = synthesized.get(functionName)!;
        expect(Object.keys(variables).sort()).toEqual(Object.keys(actual).sort());
        const known = Object.entries(actual).filter(([, value]) => !value.includes("${"));
        expect(known.length).toBeGreaterThan(0);
        for (const [key, value] of known) expect([key, variables[key]]).toEqual([key, value]);
      }
    });
  },
);

describe("environment size", () => {
  it("counts the variables as UTF-8 JSON", () => {
    expect(environmentBytes({ A: "b" })).toBe('{"A":"b"}'.length);
    expect(environmentBytes({ A: "é" })).toBe(10);
  });

  it("leaves room in the default stack; the edge's routes are the largest", () => {
    const sizes = plannedEnvironments(testConfig()).map(
      (e) => [e.functionName, environmentBytes(e.variables)] as const,
    );
    const largest = [...sizes].sort((a, b) => b[1] - a[1])[0]!;
    expect(largest[0]).toBe(`${PREFIX}-ingest`);
    expect(largest[1]).toBeLessThan(2048);
    // The stand-in queue URL has the deployed length: https://sqs.<region>.amazonaws.com/<12 digits>/<name>.
    const routes = JSON.parse(
      plannedEnvironments(testConfig()).find((e) => e.functionName === `${PREFIX}-ingest`)!.variables
        .GATEWAY_ROUTES!,
    );
    expect(routes[0].queueUrl).toBe(`https://sqs.us-east-1.amazonaws.com/123456789012/${PREFIX}-archive`);
  });

  it("accepts 15 consumers, and refuses 16, naming the edge, its size and the 4096-byte limit", () => {
    // The four shipped consumers (the github route lists the events its listeners handle) plus 11,
    // then 12, with two type patterns each.
    expect(() => synthGateway(testConfig({ consumers: manyConsumers(11) }))).not.toThrow();
    const config = testConfig({ consumers: manyConsumers(12) });
    expect(config.consumers).toHaveLength(16);
    const edge = plannedEnvironments(config).find((e) => e.functionName === `${PREFIX}-ingest`)!;
    const bytes = environmentBytes(edge.variables);
    expect(bytes).toBeGreaterThan(4096);
    const attempt = () => synthGateway(config);
    expect(attempt).toThrow(GatewayConfigError);
    expect(attempt).toThrow(
      `gateway config: the environment of function ${PREFIX}-ingest would be ${bytes} bytes, over Lambda's limit of 4096 bytes (largest variable: GATEWAY_ROUTES)`,
    );
  });

  it("names a consumer whose own variables overflow it", () => {
    const config = testConfig({
      consumers: [{ name: "github", environment: { ALLOWED_REPOSITORIES: "octo/".repeat(900) } }],
    });
    expect(() => synthGateway(config)).toThrow(
      new RegExp(
        `function ${PREFIX}-github would be \\d+ bytes, over Lambda's limit of 4096 bytes \\(largest variable: ALLOWED_REPOSITORIES\\)`,
      ),
    );
  });
});
