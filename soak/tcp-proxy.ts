import type { AddressInfo } from "node:net";
import { createConnection, createServer, type Server, type Socket } from "node:net";

export interface TcpProxy {
  endpoint: string;
  isUp(): boolean;
  /** Closes the port and every open connection: clients get ECONNREFUSED / ECONNRESET. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A TCP proxy in front of an emulator, for outages an emulator cannot simulate by itself: while
 * down, the port is closed, exactly like a service that cannot be reached. Used by the soak's
 * fault injection and by the consumer fault tests.
 *
 * @example
 * const proxy = await startTcpProxy("http://127.0.0.1:8000");
 * await proxy.down(); // DynamoDB unreachable
 * await proxy.up();
 */
export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const { hostname, port: targetPort } = new URL(target);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;

  const listen = async () => {
    const next = createServer((client) => {
      const upstream = createConnection({ host: hostname, port: Number(targetPort) });
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        socket.on("error", () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    await new Promise<void>((resolve) => next.listen(port, "127.0.0.1", resolve));
    port = (next.address() as AddressInfo).port;
    server = next;
  };
  const close = async () => {
    const current = server;
    server = undefined;
    if (!current) return;
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => current.close(() => resolve()));
  };

  await listen();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    isUp: () => server !== undefined,
    down: close,
    up: listen,
    stop: close,
  };
}
