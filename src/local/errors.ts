import { CodedError } from "../shared/errors";

/** The local runtime cannot start; the message is one line that says what to do. */
export class LocalStartError extends CodedError {}

/** The HTTP port is taken (another `npm start`, or any other server). */
export class PortInUseError extends LocalStartError {
  constructor(host: string, port: number) {
    super(
      "port_in_use",
      `port ${port} on ${host} is in use (another npm start?): stop it, or start with PORT=0 (any free port) and LOCAL_DATA_DIR=<another dir>`,
    );
  }
}
