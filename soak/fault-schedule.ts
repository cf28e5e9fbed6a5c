/** The soak's faults, one after the other, each once the sending has reached its share. */
import { startChildRuntime } from "./child-runtime";
import type { SendQueue } from "./sender";
import type { SoakRun } from "./types";

/**
 * Cuts SQS off at 15 % of the deliveries, makes consumers fail at random from 30 %, cuts
 * DynamoDB off at 50 %, and stops the runtime with Ctrl-C at 70 % then starts it again on the
 * same data: those of `options.faults`, in that order.
 *
 * @example
 * await runFaultSchedule(run, queue);
 */
export async function runFaultSchedule(run: SoakRun, queue: SendQueue): Promise<void> {
  const { faults } = run.options;
  if (faults.includes("sqs")) await outage(run, queue, "sqs", 0.15);
  if (faults.includes("consumer")) await failingConsumers(run, queue, 0.3);
  if (faults.includes("dynamodb")) await outage(run, queue, "dynamodb", 0.5);
  if (faults.includes("restart")) await restart(run, queue, 0.7);
}

async function outage(run: SoakRun, queue: SendQueue, service: "sqs" | "dynamodb", share: number) {
  await reached(queue, share);
  await switchFaults(run, `${service}=down`);
  run.faultLog.push(`${service} down at ${queue.progress().toFixed(2)}`);
  if (service === "sqs") run.figures.injected.sqsOutages++;
  else run.figures.injected.dynamodbOutages++;
  await sleep(run.options.outageSeconds * 1000);
  await switchFaults(run, `${service}=up`);
}

async function failingConsumers(run: SoakRun, queue: SendQueue, share: number) {
  await reached(queue, share);
  await switchFaults(run, `consumerFailureRate=${run.options.consumerFailureRate}`);
  run.faultLog.push(`consumers failing at ${queue.progress().toFixed(2)}`);
  await sleep(run.options.outageSeconds * 2000);
  await switchFaults(run, "consumerFailureRate=0");
}

/** Deliveries keep coming while the runtime is down: refused connections, sent again later. */
async function restart(run: SoakRun, queue: SendQueue, share: number) {
  await reached(queue, share);
  run.faultLog.push(`SIGINT at ${queue.progress().toFixed(2)}`);
  const { runtime } = run;
  runtime.child.kill("SIGINT");
  const code = await runtime.exited;
  run.outputs.push(runtime.output());
  if (code !== 0 || !/Stopped\./.test(runtime.output())) run.problems.push(`runtime stopped with ${code}`);
  else run.figures.injected.restarts++;
  run.runtime = await startChildRuntime(run.options.root, run.dataDir);
  run.log(`restarted: runtime at ${run.runtime.url}`);
}

async function reached(queue: SendQueue, share: number): Promise<void> {
  while (queue.progress() < share && queue.firstsLeft()) await sleep(50);
}

async function switchFaults(run: SoakRun, query: string): Promise<unknown> {
  const response = await fetch(`${run.runtime.url}/_/faults?${query}`, { method: "POST" });
  return response.json();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
