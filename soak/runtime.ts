/**
 * The local runtime with the soak's faults, what `soak/soak.ts` spawns
 * (`node scripts/run-ts.cjs soak/runtime.ts`): `npm start` plus `soak/faults.ts`, configured by
 * the `LOCAL_POISON_*` and `LOCAL_CONSUMER_FAILURE_RATE` variables.
 */
import { exitOnStartFailure, serveUntilSignal } from "../src/local/serve";
import { soakFaults } from "./faults";

serveUntilSignal({ faults: soakFaults(process.env) }).catch(exitOnStartFailure);
