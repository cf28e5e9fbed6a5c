import type { IncomingMessage } from "node:http";
import { actionAllowed, loopbackHost, ownOrigin } from "../../../../src/local/inspector/guard";

const request = (headers: Record<string, string>, port = 3000) =>
  ({ headers, socket: { localPort: port } }) as unknown as IncomingMessage;

test("only loopback names with the runtime's port are this runtime's Host", () => {
  expect(
    ["127.0.0.1:3000", "localhost:3000", "LOCALHOST:3000", "[::1]:3000"].map((h) => loopbackHost(h, 3000)),
  ).toEqual([true, true, true, true]);
  expect(
    [
      "evil.example",
      "evil.example:3000",
      "127.0.0.1",
      "127.0.0.1:3001",
      "127.0.0.1.evil.example:3000",
      "",
    ].map((h) => loopbackHost(h, 3000)),
  ).toEqual([false, false, false, false, false, false]);
  expect(loopbackHost(undefined, 3000)).toBe(false);
});

test("the own origin is http on a loopback name and the same port", () => {
  expect(ownOrigin("http://localhost:3000", 3000)).toBe(true);
  expect(ownOrigin("https://localhost:3000", 3000)).toBe(false);
  expect(ownOrigin("http://localhost:3001", 3000)).toBe(false);
  expect(ownOrigin("null", 3000)).toBe(false);
});

test("an action needs the own Origin, or no Origin and the token", () => {
  expect(actionAllowed(request({ origin: "http://127.0.0.1:3000" }), "t0k")).toBe(true);
  expect(actionAllowed(request({ "x-inspector-token": "t0k" }), "t0k")).toBe(true);
  expect(actionAllowed(request({ origin: "http://evil.example", "x-inspector-token": "t0k" }), "t0k")).toBe(
    false,
  );
  expect(actionAllowed(request({ "x-inspector-token": "t0K" }), "t0k")).toBe(false);
  expect(actionAllowed(request({}), "t0k")).toBe(false);
  expect(actionAllowed(request({ "x-inspector-token": "t0k", "sec-fetch-site": "cross-site" }), "t0k")).toBe(
    false,
  );
});
