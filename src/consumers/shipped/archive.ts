import { ENV } from "../../contract/environment";
import { ConfigError } from "../../shared/errors";
import { createArchiveConsumer } from "../archive";
import { ArchiveStore } from "../archive-store";
import { createConsumerHandler } from "../consumer-handler";
import { handlerOptions, type ShippedConsumer, type ShippedDeps } from "./deps";

/**
 * The archive, shipped: every event into `ARCHIVE_TABLE`.
 *
 * @example
 * export const handler = archiveConsumer({ config, ddb, s3 }).createHandler();
 */
export function archiveConsumer(deps: ShippedDeps, name = "archive"): ShippedConsumer {
  const table = deps.config.archiveTable;
  return {
    name,
    filter: {},
    missing: table ? [] : [ENV.archiveTable],
    createHandler: () => {
      if (!table) throw new ConfigError(ENV.archiveTable, `is required by the ${name} consumer`);
      return createConsumerHandler(
        createArchiveConsumer(new ArchiveStore(deps.ddb, table), name),
        handlerOptions(deps),
      );
    },
  };
}
