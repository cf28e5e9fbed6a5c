import { CodedError } from "../shared/errors";

/**
 * A mistake in the command line: printed with the help hint, exit code 2.
 *
 * @example
 * throw new UsageError("--limit must be 1 to 1000");
 */
export class UsageError extends CodedError {
  constructor(message: string, options?: ErrorOptions) {
    super("usage", message, options);
  }
}

/**
 * A command that cannot proceed for a reason the user can fix (a missing variable, a missing
 * output, a queue that does not exist): printed as one line, exit code 1.
 *
 * @example
 * throw new CommandError("queue_not_found", "queue archive not found");
 */
export class CommandError extends CodedError {}

/**
 * A variable the command needs is not set.
 *
 * @example
 * throw new MissingVariableError("GITHUB_TOKEN", "a token with admin:repo_hook or admin:org_hook");
 * // message: "GITHUB_TOKEN is not set (a token with admin:repo_hook or admin:org_hook)"
 */
export class MissingVariableError extends CodedError {
  constructor(
    readonly variable: string,
    hint: string,
  ) {
    super("missing_variable", `${variable} is not set (${hint})`);
  }
}
