import type { ProfileSummary } from "../lib/cpuprofile";
import type { Machine } from "../lib/machine";
import type { BreakdownResult } from "../suites/breakdown";
import type { ColdStartResult } from "../suites/cold-start";
import type { CostResult } from "../suites/cost";
import type { LambdaResult } from "../suites/lambda";
import type { PipelineResult } from "../suites/pipeline";
import type { ScalingResult } from "../suites/scaling";
import type { ThroughputResult } from "../suites/throughput";
import type { TracerResult } from "../suites/tracer";

/** Everything one `npm run bench` produced; also written to bench/results/latest.json. */
export interface BenchResults {
  mode: "full" | "smoke";
  suites: string[];
  machine: Machine;
  durationSeconds: number;
  lambda?: LambdaResult;
  cost?: CostResult;
  throughput?: ThroughputResult;
  tracer?: TracerResult;
  breakdown?: BreakdownResult;
  cold?: ColdStartResult;
  scaling?: ScalingResult;
  pipeline?: PipelineResult;
  profiles?: (ProfileSummary & { title: string; events: number })[];
}
