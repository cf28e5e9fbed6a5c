import { ENV } from "../../contract/environment";
import { ConfigError } from "../../shared/errors";
import { createArchiveConsumer } from "../archive";
import { ArchiveStore } from "../archive-store";
import { createConsumerHandler } from "../consumer-handler";
import { handlerOptions, type ShippedConsumer, type ShippedDeps } from "./deps";

/**
 * The shipped archive (the framework part is `createArchiveConsumer`): every event into `ARCHIVE_TABLE`.
 *
 * @example
 * export const handler = shippedArchiveConsumer({ config, ddb, s3 }).createHandler();
 */
export function shippedArchiveConsumer(deps: ShippedDeps, name = "archive"): ShippedConsumer {
  const table = deps.config.archiveTable;
  return {
    name,
    filter: {},
    missing: table ? [] : [ENV.archiveTable],
    createHandler: () => {
      if (!table) throw new ConfigError(ENV.archiveTable, `is required by the ${name} consumer`);
      return createConsumerHandler(
        createArchiveConsumer(
          new ArchiveStore(deps.ddb, table, { retentionDays: deps.config.archiveRetentionDays }),
          name,
        ),
        handlerOptions(deps),
      );
    },
  };
}
