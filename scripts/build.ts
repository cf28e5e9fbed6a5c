/**
 * `npm run build`: bundles every Lambda handler into dist/<name>/index.js with esbuild and prints
 * their sizes. Fails if the edge bundle contains @slack/bolt or the @octokit/webhooks emitter.
 */
import { relative } from "node:path";
import { bundleTarget } from "../src/config/gateway-config";
import { loadGatewayConfig } from "../src/config/load";
import { bundleAll, ROOT } from "../stacks/bundle";

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

async function main(): Promise<void> {
  const started = Date.now();
  // The bundles target the configured Lambda runtime (gateway.config.json, GATEWAY_LAMBDA_RUNTIME).
  const { lambdaRuntime } = loadGatewayConfig({ root: ROOT });
  const results = await bundleAll({ target: bundleTarget(lambdaRuntime) });
  const rows = results.map((r) => [
    r.name,
    relative(ROOT, r.entry),
    kib(r.bytes),
    String(Object.keys(r.metafile.inputs).length),
  ]);
  const header = ["bundle", "entry", "size", "modules"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
  console.log(
    `\n${results.length} bundle${results.length === 1 ? "" : "s"} in ${relative(process.cwd(), `${ROOT}/dist`) || "dist"}/ (${Date.now() - started} ms)`,
  );
}

main().catch((error: unknown) => {
  console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
