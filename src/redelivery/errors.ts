import { CodedError } from "../shared/errors";

/**
 * A repository name that is not `owner/name`.
 *
 * @example
 * throw new InvalidRepoError("nope") // message: --repo must look like owner/name, got "nope"
 */
export class InvalidRepoError extends CodedError {
  constructor(readonly value: string) {
    super("invalid_repo", `--repo must look like owner/name, got "${value}"`);
  }
}

/**
 * Some redelivery requests failed in a scheduled run; failing the invocation shows it in the
 * Lambda's `Errors` metric.
 *
 * @example
 * throw new RedeliveryFailedError(2) // message: 2 redelivery requests failed
 */
export class RedeliveryFailedError extends CodedError {
  constructor(readonly failures: number) {
    super("redelivery_failed", `${failures} redelivery requests failed`);
  }
}
