/**
 * `npm start`: the whole gateway on one machine. Prints a start-up summary, then one line per
 * event; Ctrl-C stops accepting, drains what is queued and exits.
 */
import { ENV } from "../contract/environment";
import { startLocalRuntime } from "./runtime";

async function main(): Promise<void> {
  const runtime = await startLocalRuntime();
  const secretLine = (name: string, s: { origin: string; values: string[] }) =>
    `  ${name.padEnd(22)} ${s.values.length} secret(s) from ${s.origin}${
      s.origin === "development default" ? ` ("${s.values[0]}": for local use only)` : ""
    }`;
  console.log(
    [
      "",
      `webhook-gateway running at ${runtime.url}`,
      `  POST ${runtime.url}/github    POST ${runtime.url}/slack`,
      `  GET  ${runtime.url}/_/health  /_/events  /_/events/<id>  /_/metrics`,
      "",
      "Secrets:",
      secretLine(ENV.githubWebhookSecret, runtime.secrets.github),
      secretLine(ENV.slackSigningSecret, runtime.secrets.slack),
      "",
      "Consumers:",
      ...runtime.consumers.map(
        (c) =>
          `  ${c.name.padEnd(10)} ${c.enabled ? "on " : "off"} types ${c.types.length ? c.types.join(" ") : "*"}${
            c.sources.length ? ` sources ${c.sources.join(" ")}` : ""
          }${c.enabled ? "" : `  (needs ${c.missing.join(", ")})`}`,
      ),
      "",
      `Emulators: SQS/S3 ${runtime.endpoints.sqs} (fauxqs, in memory)  DynamoDB ${runtime.endpoints.dynamodb} (dynalite, .data/)`,
      "Try: npm run replay    Stop: Ctrl-C",
      "",
    ].join("\n"),
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      console.log("Stopping already; press Ctrl-C again... forcing exit.");
      process.exit(130);
    }
    stopping = true;
    console.log(`\n${signal}: no longer accepting; draining queued events…`);
    await runtime.stop();
    console.log("Stopped.");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error) => {
  console.error(`webhook-gateway failed to start: ${(error as Error).message}`);
  process.exit(1);
});
