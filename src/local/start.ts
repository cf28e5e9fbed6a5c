/**
 * `npm start`: the whole gateway on one machine. Prints a start-up summary, then one line per
 * event; Ctrl-C stops accepting, drains what is queued and exits.
 */
import { exitOnStartFailure, serveUntilSignal } from "./serve";

serveUntilSignal().catch(exitOnStartFailure);
