/**
 * One emulator's worker thread (started by `emulators.ts`): fauxqs or dynalite off the event
 * loops of the edge and the consumers. Posts `{ ready, endpoint }` once it listens (or
 * `{ failed }`), then answers `{ id, count }` requests and stops on `{ id, stop }`.
 */
import { parentPort, workerData } from "node:worker_threads";
import { type HostedEmulator, hostEmulator } from "./emulator-host";
import type { EmulatorRequest, EmulatorWorkerData } from "./emulators";
import { lowerThreadPriority } from "./thread-priority";

async function main(): Promise<void> {
  const port = parentPort!;
  const data = workerData as EmulatorWorkerData;
  // Only the consumers (and the inspector) use DynamoDB: its emulator yields to the edge as they do.
  if (data.kind === "dynalite") lowerThreadPriority();
  let hosted: HostedEmulator;
  try {
    hosted = await hostEmulator(data.kind, data);
  } catch (error) {
    port.postMessage({ failed: (error as Error).message });
    return;
  }
  port.on("message", (request: EmulatorRequest) => {
    if ("count" in request) {
      port.postMessage({ id: request.id, result: hosted.count(request.count) });
    } else if ("inspect" in request) {
      port.postMessage({ id: request.id, result: hosted.inspect(request.inspect) ?? null });
    } else {
      void hosted.stop().then(() => {
        port.postMessage({ id: request.id, result: null });
        port.close();
      });
    }
  });
  port.postMessage({ ready: true, endpoint: hosted.endpoint });
}

void main();
