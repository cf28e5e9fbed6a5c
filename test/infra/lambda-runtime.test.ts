import { bundleTarget } from "../../src/config/gateway-config";
import { blocks, synthGateway, testConfig } from "./support/synth";

const runtimes = (config = testConfig()) =>
  Object.values(blocks(synthGateway(config).json, "aws_lambda_function")).map((fn) => fn.runtime);

test("every function runs on nodejs24.x, the newest Node.js runtime Lambda offers, by default", () => {
  expect(runtimes()).toEqual(["nodejs24.x", "nodejs24.x", "nodejs24.x", "nodejs24.x", "nodejs24.x"]);
  expect(bundleTarget("nodejs24.x")).toBe("node24");
});

test("GATEWAY_LAMBDA_RUNTIME or lambdaRuntime picks nodejs22.x for every function, and the bundles target it", () => {
  const fromEnv = testConfig({}, { GATEWAY_LAMBDA_RUNTIME: "nodejs22.x" });
  expect(new Set(runtimes(fromEnv))).toEqual(new Set(["nodejs22.x"]));
  expect(testConfig({ lambdaRuntime: "nodejs22.x" }).lambdaRuntime).toBe("nodejs22.x");
  expect(bundleTarget(fromEnv.lambdaRuntime)).toBe("node22");
});

test("a runtime the bundles are not built for is refused, naming the variable", () => {
  expect(() => testConfig({}, { GATEWAY_LAMBDA_RUNTIME: "nodejs18.x" })).toThrow(
    "lambdaRuntime must be one of nodejs24.x, nodejs22.x (GATEWAY_LAMBDA_RUNTIME)",
  );
});
