/**
 * Lambda entry point (SQS event source mapping, `ReportBatchItemFailures`) of the archive: every event, stored once in `ARCHIVE_TABLE`.
 * Configuration and clients are built once per cold start.
 */

import { shippedArchiveConsumer } from "../../src/consumers/shipped/archive";
import { lambdaDeps } from "../../src/consumers/shipped/lambda";

const deps = lambdaDeps(process.env);

export const handler = shippedArchiveConsumer(deps, deps.config.consumerName).createHandler();
