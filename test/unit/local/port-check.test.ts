import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { PortInUseError } from "../../../src/local/errors";
import { assertPortFree } from "../../../src/local/port-check";

test("a port another server listens on is refused in one line that says what to do", async () => {
  const other = createServer();
  await new Promise<void>((done) => other.listen(0, "127.0.0.1", done));
  const { port } = other.address() as AddressInfo;
  try {
    const error = await assertPortFree(port, "127.0.0.1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortInUseError);
    expect((error as Error).message).toBe(
      `port ${port} on 127.0.0.1 is in use (another npm start?): stop it, or start with PORT=0 (any free port) and LOCAL_DATA_DIR=<another dir>`,
    );
  } finally {
    await new Promise((done) => other.close(done));
  }
  // Once free, it passes (and leaves nothing listening).
  await expect(assertPortFree(port, "127.0.0.1")).resolves.toBeUndefined();
});

test("port 0 (any free port) always passes", async () => {
  await expect(assertPortFree(0, "127.0.0.1")).resolves.toBeUndefined();
});
