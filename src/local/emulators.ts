import type { AddressInfo } from "node:net";
import { join } from "node:path";
import dynalite from "dynalite";
import type { FauxqsServer } from "fauxqs";
import type { LocalEndpoints } from "./fault-hook";

export interface LocalEmulators {
  /** SQS and S3 in memory. */
  fauxqs: FauxqsServer;
  endpoints: LocalEndpoints & { s3: string };
  stop(): Promise<void>;
}

/**
 * Starts fauxqs (SQS, S3, in memory) and dynalite (DynamoDB, under `<dataDir>/dynamodb`), each
 * on a free port of 127.0.0.1.
 *
 * @example
 * const emulators = await startEmulators(".data");
 * await emulators.stop();
 */
export async function startEmulators(dataDir: string): Promise<LocalEmulators> {
  // fauxqs is ESM-only with no "require" export: load it with import().
  const { startFauxqs } = await import("fauxqs");
  const fauxqs = await startFauxqs({ port: 0, logger: false });
  const dynamo = dynalite({
    path: join(dataDir, "dynamodb"),
    createTableMs: 0,
    updateTableMs: 0,
    deleteTableMs: 0,
  });
  await new Promise<void>((done) => dynamo.listen(0, "127.0.0.1", done));
  const dynamodb = `http://127.0.0.1:${(dynamo.address() as AddressInfo).port}`;
  return {
    fauxqs,
    endpoints: { sqs: fauxqs.address, s3: fauxqs.address, dynamodb },
    stop: async () => {
      await fauxqs.stop();
      await new Promise<void>((done) => dynamo.close(() => done()));
    },
  };
}
