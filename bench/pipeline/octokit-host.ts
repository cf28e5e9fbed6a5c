/**
 * Child process of the local-pipeline benchmark: `@octokit/webhooks`' `createNodeMiddleware` on a
 * plain Node HTTP server, one no-op `onAny` listener (it runs before the answer, so an answered
 * delivery is a processed one). Prints one JSON line with its URL; exits when stdin closes.
 *
 * Usage: `node bench/pipeline/launch.cjs octokit-host.ts`
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { GITHUB_SECRET } from "../lib/corpus";

async function main(): Promise<void> {
  const { Webhooks, createNodeMiddleware } = await import("@octokit/webhooks");
  const webhooks = new Webhooks({ secret: GITHUB_SECRET });
  let received = 0;
  webhooks.onAny(() => {
    received += 1;
  });
  const middleware = createNodeMiddleware(webhooks, { path: "/github" });
  const server = createServer((req, res) => {
    if (req.url === "/_/count") {
      res.end(JSON.stringify({ received }));
      return;
    }
    void middleware(req, res);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
  process.stdin.resume();
  process.stdin.on("end", () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
