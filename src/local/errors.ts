import { CodedError } from "../shared/errors";

/** The local runtime cannot start; the message is one line that says what to do. */
export class LocalStartError extends CodedError {}

/** Another running `npm start` holds the data directory (its lock file names a live process). */
export class DataDirInUseError extends LocalStartError {
  constructor(dataDir: string, pid: number) {
    super(
      "data_dir_in_use",
      `${dataDir} is in use by another webhook-gateway (pid ${pid}): stop it, or start this one with LOCAL_DATA_DIR=<another dir> PORT=0`,
    );
  }
}

/** The HTTP port is taken (another `npm start`, or any other server). */
export class PortInUseError extends LocalStartError {
  constructor(host: string, port: number) {
    super(
      "port_in_use",
      `port ${port} on ${host} is in use (another npm start?): stop it, or start with PORT=0 (any free port) and LOCAL_DATA_DIR=<another dir>`,
    );
  }
}
