/**
 * The soak's fault switches (`soak/faults.ts`): only a POST changes them; its TCP proxies in front
 * of the emulators listen on 127.0.0.1 only (probed from 127.0.0.2, as in
 * test/e2e/local-runtime-loopback.test.ts).
 */
import { createServer, type Server } from "node:http";
import { type AddressInfo, Socket } from "node:net";
import { soakFaults } from "../../soak/faults";
import type { LocalFaults } from "../../src/local/fault-hook";

let faults: LocalFaults;
let server: Server;
let url: string;
const lines: string[] = [];

beforeAll(async () => {
  // Nothing listens behind the proxies: these tests never connect through them.
  faults = await soakFaults({})({ sqs: "http://127.0.0.1:9", dynamodb: "http://127.0.0.1:9" }, (line) =>
    lines.push(line),
  );
  server = createServer((req, res) => {
    if (!faults.handle(req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/_/faults`;
});
afterAll(async () => {
  await faults.stop();
  await new Promise((done) => server.close(done));
});

async function call(method: string, query = ""): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}${query}`, { method });
  return { status: response.status, body: await response.json() };
}

const UP = { sqs: "up", dynamodb: "up", consumerFailureRate: 0 };

test("GET answers the state; a GET with switches, or another method, is refused and changes nothing", async () => {
  expect(await call("GET")).toEqual({ status: 200, body: UP });
  const refused = { error: "method_not_allowed", message: "faults switch on POST only" };
  expect(await call("GET", "?sqs=down&consumerFailureRate=1")).toEqual({ status: 405, body: refused });
  expect(await call("PUT", "?dynamodb=down")).toEqual({ status: 405, body: refused });
  expect(await call("DELETE")).toEqual({ status: 405, body: refused });
  expect(await call("GET")).toEqual({ status: 200, body: UP });
  expect(lines).toEqual([]);
});

test("POST switches and answers the new state", async () => {
  expect(await call("POST", "?sqs=down&consumerFailureRate=0.5")).toEqual({
    status: 200,
    body: { sqs: "down", dynamodb: "up", consumerFailureRate: 0.5 },
  });
  expect(await call("POST", "?sqs=up&consumerFailureRate=0")).toEqual({ status: 200, body: UP });
  expect(lines).toEqual([
    "  ⚡ fault: sqs unreachable",
    "  ⚡ fault: consumer failure rate 0.5",
    "  ⚡ fault: sqs reachable again",
    "  ⚡ fault: consumer failure rate 0",
  ]);
});

test("the proxies in front of the emulators listen on 127.0.0.1 only", async () => {
  const probe = (host: string, port: number) =>
    new Promise<string>((resolve) => {
      const socket = new Socket();
      socket.once("connect", () => {
        socket.destroy();
        resolve("connected");
      });
      socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
      socket.connect(port, host);
    });
  const seen = [];
  for (const endpoint of Object.values(faults.endpoints)) {
    const { hostname, port } = new URL(endpoint);
    seen.push([hostname, await probe("127.0.0.2", Number(port))]);
  }
  expect(seen).toEqual([
    ["127.0.0.1", "ECONNREFUSED"],
    ["127.0.0.1", "ECONNREFUSED"],
  ]);
});
