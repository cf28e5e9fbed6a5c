/**
 * 3. Scaling: the edge's cost per event against the floor's as the payload grows, on synthetic
 * GitHub `push` payloads of 1 KiB to 1 MiB, pure ASCII and with some non-ASCII text. The 1 MiB
 * event is over SQS's message limit, so it takes the claim-check path (an in-memory store here).
 */
import { edge, floor, floorDecode, MemoryClaimCheck } from "../lib/contenders";
import { compare, type RoundOptions } from "../lib/rounds";
import { syntheticCorpus } from "../lib/synthetic";

export interface ScalingFigures {
  floorUs: number;
  floorDecodeUs: number;
  edgeUs: number;
  /** Median over rounds of edge cost / floor cost (the inverse of the events/s ratio). */
  costRatio: number;
  problems: string[];
}

export interface ScalingPoint {
  bytes: number;
  label: string;
  ascii: ScalingFigures;
  utf8: ScalingFigures;
  claimChecked: boolean;
}

export interface ScalingResult {
  options: RoundOptions;
  points: ScalingPoint[];
}

export const SIZES = [
  { bytes: 1024, label: "1 KiB" },
  { bytes: 10 * 1024, label: "10 KiB" },
  { bytes: 100 * 1024, label: "100 KiB" },
  { bytes: 1024 * 1024, label: "1 MiB" },
];

async function measure(
  bytes: number,
  nonAscii: boolean,
  options: RoundOptions,
  claimCheck: MemoryClaimCheck,
): Promise<ScalingFigures> {
  const corpus = syntheticCorpus(bytes, 4, nonAscii);
  const [edgeResult, floorResult, decodeResult] = await compare(
    [edge(claimCheck), floor(), floorDecode()],
    () => corpus,
    options,
    1,
  );
  return {
    floorUs: 1e6 / floorResult!.eventsPerSecond,
    floorDecodeUs: 1e6 / decodeResult!.eventsPerSecond,
    edgeUs: 1e6 / edgeResult!.eventsPerSecond,
    costRatio: 1 / edgeResult!.ratioToReference,
    problems: edgeResult!.problems,
  };
}

/**
 * Measures edge and floor side by side at each size.
 *
 * @example
 * const result = await scaling({ warmupMs: 300, roundMs: 200, rounds: 9 }, console.log);
 */
export async function scaling(options: RoundOptions, log: (line: string) => void): Promise<ScalingResult> {
  const points: ScalingPoint[] = [];
  for (const size of SIZES) {
    const claimCheck = new MemoryClaimCheck();
    const ascii = await measure(size.bytes, false, options, claimCheck);
    const utf8 = await measure(size.bytes, true, options, claimCheck);
    const point: ScalingPoint = { ...size, ascii, utf8, claimChecked: claimCheck.stored > 0 };
    points.push(point);
    for (const [kind, f] of [
      ["ASCII", ascii],
      ["UTF-8", utf8],
    ] as const) {
      log(
        `    ${size.label.padEnd(8)} ${kind}  floor ${f.floorUs.toFixed(1).padStart(8)} µs  floor+decode ${f.floorDecodeUs.toFixed(1).padStart(8)} µs  edge ${f.edgeUs.toFixed(1).padStart(8)} µs  edge/floor ${f.costRatio.toFixed(2)}×${point.claimChecked ? "  (claim check)" : ""}`,
      );
    }
  }
  return { options, points };
}
