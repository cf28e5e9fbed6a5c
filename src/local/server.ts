import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { IngestHandler } from "../edge/ingest-handler";
import { PortInUseError } from "./errors";
import { BodyTooLargeError, toFunctionUrlEvent, writeResult } from "./function-url";
import { guardHost } from "./inspector/guard";
import { createLambdaContext } from "./lambda/lambda-context";

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface LocalServerOptions {
  /** The function URL's handler. */
  ingest: IngestHandler;
  /** Serves the page (`GET /`) and `/_/…` (the inspector), once the `Host` is a loopback one. */
  inspector: RequestListener;
  /** Serves a request before anything else when it returns true (the soak's `/_/faults`). */
  intercept?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** Largest body the function URL lets through, in bytes. */
  maxBodyBytes: number;
  port: number;
  host: string;
}

export interface LocalServer {
  url: string;
  /** Stops accepting and closes every open connection. */
  close(): Promise<void>;
}

/** The ingest function's timeout in the stack. */
const INGEST_TIMEOUT_MS = 10_000;

/**
 * The function URL on a Node HTTP server: each request becomes a function URL event for the real
 * ingest handler, with a Lambda context; `/_/` and `GET /` go to the inspector, for a loopback
 * `Host` only (403 otherwise).
 *
 * @example
 * const server = await startLocalServer({ ingest, inspector, maxBodyBytes: 6 * 1024 * 1024, port: 0, host: "127.0.0.1" });
 * await server.close();
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const server = createServer((req, res) => {
    const inspector = isInspectorRequest(req);
    // DNS rebinding: a foreign name resolving to 127.0.0.1 must not read the archive. The webhook
    // paths stay open to any Host (tunnels such as smee or ngrok forward with their own).
    if (inspector && !guardHost(req, res)) return;
    if (options.intercept?.(req, res)) return;
    if (inspector) return void options.inspector(req, res);
    void invokeIngest(req, res, options);
  });
  await listen(server, options.port, options.host);
  return {
    url: `http://${options.host}:${(server.address() as AddressInfo).port}`,
    close: async () => {
      await new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
    },
  };
}

/** `/_/…`, and the page at `/` (a GET or HEAD; other methods on `/` stay the edge's 404 or 405). */
function isInspectorRequest(req: IncomingMessage): boolean {
  const path = (req.url ?? "").split("?")[0];
  return (
    path?.startsWith("/_/") === true || (path === "/" && (req.method === "GET" || req.method === "HEAD"))
  );
}

async function invokeIngest(req: IncomingMessage, res: ServerResponse, options: LocalServerOptions) {
  try {
    const event = await toFunctionUrlEvent(req, options.maxBodyBytes);
    const context = createLambdaContext({
      functionName: "local-ingest",
      timeoutMs: INGEST_TIMEOUT_MS,
      memoryLimitInMB: 512,
    });
    writeResult(res, await options.ingest(event, context));
  } catch (error) {
    // The function URL refuses bodies over its limit before Lambda runs.
    const status = error instanceof BodyTooLargeError ? 413 : 500;
    writeResult(res, {
      statusCode: status,
      headers: { "content-type": "application/json", connection: "close" },
      body: JSON.stringify({ error: status === 413 ? "payload_too_large" : "internal_error" }),
    });
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((done, fail) => {
    server.once("error", (error: NodeJS.ErrnoException) =>
      fail(error.code === "EADDRINUSE" ? new PortInUseError(host, port) : error),
    );
    server.listen(port, host, () => {
      server.removeAllListeners("error");
      done();
    });
  });
}
