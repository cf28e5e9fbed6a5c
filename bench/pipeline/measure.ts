/**
 * The local-pipeline benchmark alone (section 4 of `npm run bench`), with its sizes on the
 * command line, and optionally the local runtime's CPU profiles summarized.
 *
 *   npx tsx bench/pipeline/measure.ts --deliveries 600 --concurrency 16 --rounds 3 [--burst] [--profile <dir>]
 *
 * Prints the figures per concurrency level (medians over rounds), the burst's (three copies of
 * every delivery at once, against one pass; run when 16 is among the levels, or with `--burst`)
 * and the targets judged on them; reports only.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "../lib/corpus";
import { summarizeProfile } from "../lib/cpuprofile";
import { pipeline } from "../suites/pipeline";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      deliveries: { type: "string", default: "600" },
      concurrency: { type: "string", default: "16" },
      rounds: { type: "string", default: "3" },
      burst: { type: "boolean" },
      profile: { type: "string" },
    },
  });
  const result = await pipeline(
    {
      deliveries: Number(values.deliveries),
      concurrency: values.concurrency.split(",").map(Number),
      rounds: Number(values.rounds),
      cpuProfileDir: values.profile,
      // Absent: the suite's default (when 16 is among the levels).
      burst: values.burst || undefined,
    },
    console.log,
  );
  if (result.status !== "done") return;
  for (const level of result.levels) console.log(JSON.stringify(level));
  if (result.burst) {
    const { rounds, ...medians } = result.burst;
    console.log(JSON.stringify({ burst: medians }));
    for (const round of rounds) console.log(JSON.stringify({ burstRound: round }));
  }
  for (const t of result.targets) console.log(`${t.met ? "MET   " : "MISSED"}  ${t.label} — ${t.figure}`);
  if (values.profile) printProfiles(values.profile);
}

/** A package's name for files under node_modules; node's own and V8's entries by their name. */
function owner(name: string, where: string): string {
  if (where === "(native)") return name.startsWith("(") ? name : "(native)";
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where);
  if (match) return match[1]!;
  return where.startsWith("node:") ? where.replace(/:\d+$/, "") : where;
}

/** Busy self time per package (idle left out), largest first, for each thread's profile. */
function printProfiles(dir: string): void {
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"))) {
    const summary = summarizeProfile(join(dir, file), ROOT);
    const byOwner = new Map<string, number>();
    for (const f of summary.functions) {
      if (f.name === "(idle)") continue;
      const key = owner(f.name, f.where);
      byOwner.set(key, (byOwner.get(key) ?? 0) + f.ms);
    }
    const busy = [...byOwner.values()].reduce((a, b) => a + b, 0);
    console.log(
      `\n${file}: ${(summary.totalMs / 1000).toFixed(1)} s sampled, ${(busy / 1000).toFixed(1)} s busy`,
    );
    for (const [name, ms] of [...byOwner].sort((a, b) => b[1] - a[1]).slice(0, 22))
      console.log(
        `  ${((ms / busy) * 100).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(6)} ms  ${name}`,
      );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
