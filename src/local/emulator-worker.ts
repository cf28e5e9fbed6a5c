/**
 * The emulators' worker thread (started by `emulators.ts`): fauxqs and dynalite off the event
 * loop of the edge and the consumers. Posts `{ ready, endpoints }` once both listen (or
 * `{ failed }`), then answers `{ id, count }` requests and stops on `{ id, stop }`.
 */
import { parentPort, workerData } from "node:worker_threads";
import { type HostedEmulators, hostEmulators } from "./emulator-host";
import type { EmulatorRequest, EmulatorWorkerData } from "./emulators";

async function main(): Promise<void> {
  const port = parentPort!;
  let hosted: HostedEmulators;
  try {
    hosted = await hostEmulators(workerData as EmulatorWorkerData);
  } catch (error) {
    port.postMessage({ failed: (error as Error).message });
    return;
  }
  port.on("message", (request: EmulatorRequest) => {
    if ("count" in request) {
      port.postMessage({ id: request.id, result: hosted.count(request.count) });
    } else {
      void hosted.stop().then(() => {
        port.postMessage({ id: request.id, result: null });
        port.close();
      });
    }
  });
  port.postMessage({ ready: true, endpoints: hosted.endpoints });
}

void main();
