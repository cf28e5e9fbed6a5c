/**
 * Issue 12 item 7: every server `npm start` runs (the gateway, fauxqs, dynalite) answers on
 * loopback only. Probed from another address of the machine: 127.0.0.2, in the loopback range,
 * which a server listening on every address (fauxqs's own `0.0.0.0`) answers and a server bound
 * to 127.0.0.1 refuses. (The machine's other interfaces are not probed: tests here send nothing
 * to addresses outside 127.0.0.0/8.)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type NpmStart, npmStart } from "../helpers/npm-start";

jest.setTimeout(120_000);

const OTHER_ADDRESS = "127.0.0.2";

/** "connected" or the connection error's code. */
function probe(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
    socket.connect(port, host);
  });
}

let dataDir: string;
let runtime: NpmStart;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "gateway-loopback-"));
  runtime = await npmStart(dataDir);
});
afterAll(async () => {
  await runtime?.kill("SIGINT");
  rmSync(dataDir, { recursive: true, force: true });
});

test("the probe tells a server on every address from one on 127.0.0.1", async () => {
  const wildcard = createServer();
  await new Promise<void>((done) => wildcard.listen(0, "0.0.0.0", done));
  const loopback: Server = createServer();
  await new Promise<void>((done) => loopback.listen(0, "127.0.0.1", done));
  try {
    const port = (server: Server) => (server.address() as { port: number }).port;
    expect(await probe(OTHER_ADDRESS, port(wildcard))).toBe("connected");
    expect(await probe(OTHER_ADDRESS, port(loopback))).toBe("ECONNREFUSED");
  } finally {
    wildcard.close();
    loopback.close();
  }
});

test("the gateway, SQS/S3 (fauxqs) and DynamoDB (dynalite) refuse connections on another address", async () => {
  const servers = {
    gateway: runtime.url,
    sqs: runtime.emulators.sqs,
    dynamodb: runtime.emulators.dynamodb,
  };
  const seen: Record<string, { loopback: string; other: string }> = {};
  for (const [name, url] of Object.entries(servers)) {
    const { hostname, port } = new URL(url);
    seen[name] = {
      loopback: await probe(hostname, Number(port)),
      other: await probe(OTHER_ADDRESS, Number(port)),
    };
  }
  const expected = { loopback: "connected", other: "ECONNREFUSED" };
  expect(seen).toEqual({ gateway: expected, sqs: expected, dynamodb: expected });
  expect(Object.values(servers).map((url) => new URL(url).hostname)).toEqual([
    "127.0.0.1",
    "127.0.0.1",
    "127.0.0.1",
  ]);
});
