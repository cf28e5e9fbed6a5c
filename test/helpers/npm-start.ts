/**
 * `npm start` as a child process in a process group of its own, on a free port, for end-to-end
 * tests: resolves once it prints its URL; its output is kept.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

export const ROOT = join(__dirname, "..", "..");

export interface NpmStart {
  child: ChildProcess;
  url: string;
  /** The SQS/S3 and DynamoDB endpoints the start-up summary names. */
  emulators: { sqs: string; dynamodb: string };
  output: () => string;
  exited: Promise<number | null>;
  /** Signals the whole process group (npm, its shell, the runtime). */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * Starts the local runtime the way a developer does, with its data in `dataDir`.
 *
 * @example
 * const runtime = await npmStart(dataDir, { LOCAL_VISIBILITY_TIMEOUT_SECONDS: "2" });
 * await runtime.kill("SIGINT");
 */
export function npmStart(dataDir: string, env: Record<string, string> = {}): Promise<NpmStart> {
  const child = spawn("npm", ["start", "--silent"], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, PORT: "0", LOCAL_DATA_DIR: dataDir, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout!.on("data", (chunk) => {
    text += chunk;
  });
  child.stderr!.on("data", (chunk) => {
    text += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const kill = async (signal: NodeJS.Signals) => {
    process.kill(-child.pid!, signal);
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const url = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
      const sqs = /SQS\/S3 (http:\/\/\S+)/.exec(text)?.[1];
      const dynamodb = /DynamoDB (http:\/\/\S+)/.exec(text)?.[1];
      if (url && sqs && dynamodb) {
        clearInterval(timer);
        resolve({ child, url, emulators: { sqs, dynamodb }, output: () => text, exited, kill });
      }
    }, 100);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`runtime exited with ${code}:\n${text}`));
    });
  });
}

/**
 * How many `✓ <consumer> processed <event id>` lines the runtime printed, per "consumer id".
 *
 * @example
 * processedLines(runtime.output()).get("archive github:72d3…") // 1
 */
export function processedLines(output: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const match of output.matchAll(/✓ (\w+) processed (\S+)/g)) {
    const key = `${match[1]} ${match[2]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}
