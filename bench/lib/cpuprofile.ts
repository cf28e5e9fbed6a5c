/**
 * Summarizes a V8 `.cpuprofile` (from `node --cpu-prof`): self time per function and per file,
 * largest first.
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  where: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  functions: SelfTime[];
  files: SelfTime[];
}

function shortUrl(url: string, root: string): string {
  if (!url) return "(native)";
  const path = url.startsWith("file://") ? new URL(url).pathname : url;
  const rel = path.startsWith(root) ? relative(root, path) : path;
  return rel.replace(/^.*node_modules\//, "node_modules/");
}

/**
 * Reads a `.cpuprofile` and adds up self time by function and by file.
 *
 * @example
 * const { functions } = summarizeProfile("bench/results/edge.cpuprofile", process.cwd());
 */
export function summarizeProfile(file: string, root: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const functions = new Map<string, SelfTime>();
  const files = new Map<string, SelfTime>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    const name = frame.functionName || "(anonymous)";
    const url = shortUrl(frame.url, root);
    // tsx-compiled files report no useful line numbers; node's own files do.
    const where = frame.url.startsWith("node:") ? `${url}:${frame.lineNumber + 1}` : url;
    total += us;
    const fnKey = `${name}@${where}`;
    const fn = functions.get(fnKey) ?? { name, where, ms: 0, share: 0 };
    fn.ms += us / 1000;
    functions.set(fnKey, fn);
    const fileEntry = files.get(url) ?? { name: url, where: url, ms: 0, share: 0 };
    fileEntry.ms += us / 1000;
    files.set(url, fileEntry);
  }
  const finish = (map: Map<string, SelfTime>) =>
    [...map.values()]
      .map((entry) => ({ ...entry, share: entry.ms / (total / 1000) }))
      .sort((a, b) => b.ms - a.ms);
  return { totalMs: total / 1000, functions: finish(functions), files: finish(files) };
}
