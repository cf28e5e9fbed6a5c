/**
 * The cdktf app (`cdktf.json` runs it with tsx). Configuration: defaults in src/config/gateway-config.ts,
 * overridden by `gateway.config.json` and `GATEWAY_*` variables (src/config/load.ts).
 * Bundles must exist: `npm run synth` / `npm run deploy` run `npm run build` first.
 */
import { App } from "cdktf";
import { loadGatewayConfig } from "../src/config/load";
import { CodedError } from "../src/shared/errors";
import { ROOT } from "./bundle";
import { GatewayStack } from "./gateway-stack";

try {
  const app = new App();
  new GatewayStack(app, loadGatewayConfig({ root: ROOT }));
  app.synth();
} catch (error) {
  // A configuration or build problem is the user's to fix: say what, without a stack trace.
  const expected = error instanceof CodedError;
  console.error(expected ? `error: ${(error as Error).message}` : error);
  process.exit(1);
}
