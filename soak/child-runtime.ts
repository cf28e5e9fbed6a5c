/** The soak's local runtime, as a child process it can interrupt and restart. */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { POISON_MARKER, SOAK_SECRETS } from "./plan";
import type { ChildRuntime } from "./types";

/**
 * Starts `soak/runtime.ts` (the local runtime with the soak's faults) on a free port with its
 * data in `dataDir`, and resolves once it prints its URL and emulator endpoints.
 *
 * @example
 * const runtime = await startChildRuntime(root, dataDir);
 * runtime.child.kill("SIGINT");
 */
export function startChildRuntime(root: string, dataDir: string): Promise<ChildRuntime> {
  const entry = join(root, "soak", "runtime.ts");
  const child = spawn(process.execPath, [join(root, "scripts", "run-ts.cjs"), entry], {
    cwd: root,
    env: {
      ...process.env,
      PORT: "0",
      LOCAL_DATA_DIR: dataDir,
      LOCAL_VISIBILITY_TIMEOUT_SECONDS: "2",
      LOCAL_DRAIN_TIMEOUT_MS: "3000",
      LOCAL_POISON_MARKER: POISON_MARKER,
      LOCAL_POISON_CONSUMERS: "github",
      GITHUB_WEBHOOK_SECRET: SOAK_SECRETS.github,
      SLACK_SIGNING_SECRET: SOAK_SECRETS.slack,
      SLACK_BOT_TOKEN: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    text += chunk;
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    text += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const url = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
      const sqs = /SQS\/S3 (http:\/\/\S+)/.exec(text)?.[1];
      if (url && sqs) {
        clearInterval(timer);
        resolve({ child, url, sqsEndpoint: sqs, output: () => text, exited });
      }
    }, 100);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`runtime exited with ${code}:\n${text.slice(-4000)}`));
    });
  });
}
