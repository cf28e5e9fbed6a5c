import { join } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { restoreClaimChecks, saveClaimChecks } from "./claim-check-snapshot";
import { type InspectableQueues, restoreQueueSnapshot, saveQueueSnapshot } from "./queue-snapshot";
import type { LocalQueue } from "./resources";

export interface PersistenceOptions {
  fauxqs: InspectableQueues;
  sqs: SQSClient;
  s3: S3Client;
  queues: readonly LocalQueue[];
  claimCheckBucket: string;
  dataDir: string;
  log: (line: string) => void;
}

export interface Persistence {
  /** Stops the periodic snapshot and writes the last one (queues and claim checks). */
  save(): Promise<void>;
}

/**
 * fauxqs keeps messages and objects in memory: restore what the last run saved under `dataDir`
 * (queued messages, claim checks), then snapshot the queues regularly so a crash loses at most a
 * moment, and save everything at `save()`.
 *
 * @example
 * const persistence = await startPersistence({ fauxqs, sqs, s3, queues, claimCheckBucket, dataDir, log });
 * await persistence.save();
 */
export async function startPersistence(options: PersistenceOptions): Promise<Persistence> {
  const queuesPath = join(options.dataDir, "queues.json");
  const claimChecksPath = join(options.dataDir, "claim-checks.json");
  const urls = new Map(
    options.queues.flatMap((q) => [[q.name, q.url] as const, [q.dlqName, q.dlqUrl] as const]),
  );
  const names = [...urls.keys()];
  await restoreClaimChecks(options.s3, options.claimCheckBucket, claimChecksPath);
  const restored = await restoreQueueSnapshot(options.sqs, urls, queuesPath);
  if (restored > 0) options.log(`  restored ${restored} queued messages from ${queuesPath}`);
  const periodic = snapshotPeriodically(() => saveQueueSnapshot(options.fauxqs, names, queuesPath));
  return {
    save: async () => {
      periodic.stop();
      const saved = saveQueueSnapshot(options.fauxqs, names, queuesPath);
      await saveClaimChecks(options.s3, options.claimCheckBucket, claimChecksPath);
      if (saved > 0)
        options.log(
          `  ${saved} messages still queued were saved to ${queuesPath}; they run at the next start`,
        );
    },
  };
}

/**
 * Writing a snapshot costs time in proportion to the backlog: wait at least 20 times as long as
 * the last write took (1 s minimum), so a large backlog cannot starve the event loop.
 */
function snapshotPeriodically(write: () => void): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  const schedule = (delayMs: number) => {
    timer = setTimeout(() => {
      const started = performance.now();
      write();
      schedule(Math.max(1000, 20 * (performance.now() - started)));
    }, delayMs);
  };
  schedule(1000);
  return { stop: () => clearTimeout(timer) };
}
