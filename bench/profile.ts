/**
 * CPU profile of the edge (or the floor) over a corpus: runs `bench/profile-target.ts` in a child
 * process, which records a V8 CPU profile (the `node --cpu-prof` format) of the timed loop only,
 * and prints the functions and files with the most self time.
 *
 * Usage: `npx tsx bench/profile.ts [edge|floor] [github|slack] [seconds]`
 * The profile is kept under bench/results/profiles/ (open it in Chrome DevTools or speedscope).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./lib/corpus";
import { type ProfileSummary, summarizeProfile } from "./lib/cpuprofile";

/**
 * Profiles one contender over one corpus and returns the summary.
 *
 * @example
 * const summary = profile("edge", "github", 4);
 */
export function profile(
  which: string,
  corpus: string,
  seconds: number,
): ProfileSummary & { file: string; events: number } {
  const dir = join(ROOT, "bench", "results", "profiles", `${which}-${corpus}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${which}-${corpus}.cpuprofile`);
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", join(ROOT, "bench", "profile-target.ts"), which, corpus, String(seconds), file],
    {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    },
  );
  if (result.status !== 0) throw new Error(`profile target failed: ${result.stderr}`);
  // The target prints "<which> over <corpus>: <passes> passes of <n> events".
  const match = /(\d+) passes of (\d+) events/.exec(result.stdout);
  const events = match ? Number(match[1]) * Number(match[2]) : Number.NaN;
  return { ...summarizeProfile(file, ROOT), file, events };
}

function main(): void {
  const [which = "edge", corpus = "github", seconds = "4"] = process.argv.slice(2);
  const summary = profile(which, corpus, Number(seconds));
  console.log(
    `${summary.file}\ntotal sampled ${summary.totalMs.toFixed(0)} ms, ${summary.events} events in the timed loop\n\nself time by function (share of samples, µs per event):`,
  );
  for (const f of summary.functions.slice(0, 25)) {
    const perEvent = ((f.ms * 1000) / summary.events).toFixed(2);
    console.log(
      `  ${(f.share * 100).toFixed(1).padStart(5)}%  ${perEvent.padStart(7)} µs  ${f.name.padEnd(36)} ${f.where}`,
    );
  }
  console.log("\nself time by file:");
  for (const f of summary.files.slice(0, 15)) {
    console.log(`  ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.name}`);
  }
}

if (require.main === module) main();
