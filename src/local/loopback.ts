import { Server } from "node:net";
import { CodedError } from "../shared/errors";

/** The runtime's servers answer on this address only. */
export const LOOPBACK = "127.0.0.1";

/** A server would have answered on another address than loopback. */
export class NotLoopbackError extends CodedError {
  constructor(what: string, address: string) {
    super("not_loopback", `${what} listens on ${address}, not on ${LOOPBACK} only`);
  }
}

type Listen = Server["listen"];

/**
 * Runs `start` with every server it starts on the wildcard address (`0.0.0.0`, `::` or no host)
 * bound to 127.0.0.1 instead, then puts `net.Server.prototype.listen` back. fauxqs hard-codes
 * `0.0.0.0` in `startFauxqs` (1.9.2 and 2.4.1 alike) and takes no server of ours; the runtime
 * runs it in a worker thread of its own, so nothing else listens while this is in place.
 *
 * @example
 * const fauxqs = await onLoopback(() => startFauxqs({ port: 0 })); // fauxqs.address "http://127.0.0.1:…"
 */
export async function onLoopback<T>(start: () => Promise<T>): Promise<T> {
  const original = Server.prototype.listen;
  const patched = function (this: Server, ...args: unknown[]) {
    const first = args[0];
    if (first && typeof first === "object" && !("fd" in first) && !("path" in first)) {
      const options = first as { host?: string };
      if (options.host === undefined || WILDCARDS.has(options.host)) args[0] = { ...options, host: LOOPBACK };
    } else if (typeof first === "number" || typeof first === "string") {
      if (typeof args[1] !== "string" || WILDCARDS.has(args[1])) {
        args.splice(1, typeof args[1] === "string" ? 1 : 0, LOOPBACK);
      }
    }
    return (original as (...a: unknown[]) => Server).apply(this, args);
  } as Listen;
  Server.prototype.listen = patched;
  try {
    return await start();
  } finally {
    Server.prototype.listen = original;
  }
}

const WILDCARDS = new Set(["0.0.0.0", "::", ""]);

/**
 * Checks that a URL the runtime hands out names 127.0.0.1.
 *
 * @example
 * assertLoopback("fauxqs", fauxqs.address);
 */
export function assertLoopback(what: string, url: string): void {
  const { hostname } = new URL(url);
  if (hostname !== LOOPBACK) throw new NotLoopbackError(what, hostname);
}
