import { createServer } from "node:net";
import { PortInUseError } from "./errors";

/**
 * Fails with {@link PortInUseError} when `port` cannot be listened on, before anything else starts
 * (port 0, any free port, always passes). Another process may still take it in between; the
 * server's own listen reports that the same way.
 *
 * @example
 * await assertPortFree(3000, "127.0.0.1");
 */
export async function assertPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((done, fail) => {
    probe.once("error", (error: NodeJS.ErrnoException) =>
      fail(error.code === "EADDRINUSE" ? new PortInUseError(host, port) : error),
    );
    probe.listen(port, host, () => probe.close(() => done()));
  });
}
