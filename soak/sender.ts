/** The sending phase: every delivery at the configured rate and in bursts, resent until accepted. */
import { signFixture } from "../src/fixtures/sign";
import { SOAK_SECRETS, slackRetry } from "./plan";
import type { Delivery, Job, SoakFigures, SoakOptions, SoakRun } from "./types";

/** The jobs to send: each delivery once, then resends as they fall due. */
export class SendQueue {
  private readonly jobs: Job[];
  private nextFirst = 0;
  /** Resends (duplicates, retries after a failed attempt), each not before its time. */
  readonly later: Job[] = [];

  constructor(deliveries: readonly Delivery[]) {
    this.jobs = deliveries.map((delivery) => ({ delivery, purpose: "first", notBefore: 0 }));
  }

  /** The share of the deliveries sent a first time. */
  progress(): number {
    return this.nextFirst / this.jobs.length;
  }

  /** Whether some delivery has not been sent a first time yet. */
  firstsLeft(): boolean {
    return this.nextFirst < this.jobs.length;
  }

  /** Nothing left to send, now or later. */
  empty(): boolean {
    return !this.firstsLeft() && this.later.length === 0;
  }

  /** A resend that is due, else the next first sending. */
  take(): Job | undefined {
    const now = Date.now();
    const due = this.later.findIndex((j) => j.notBefore <= now);
    if (due >= 0) return this.later.splice(due, 1)[0];
    if (this.firstsLeft()) return this.jobs[this.nextFirst++];
    return undefined;
  }
}

/**
 * Sends until everything is accepted (or refused, for bad deliveries) and the faults are done,
 * or the sending phase's upper bound passes; then waits for the requests in flight.
 *
 * @example
 * await sendAll(run, new SendQueue(deliveries), () => faultsDone);
 */
export async function sendAll(run: SoakRun, queue: SendQueue, faultsDone: () => boolean): Promise<void> {
  const { options } = run;
  const deadline = run.started + options.seconds * 1000;
  const pacer = createPacer(options);
  let lastProgress = Date.now();
  const running = new Set<Promise<void>>();
  while (Date.now() < deadline) {
    const now = Date.now();
    pacer.tick(now);
    if (now - lastProgress >= 5000) {
      lastProgress = now;
      logProgress(run, queue);
    }
    while (pacer.ready() && running.size < options.concurrency) {
      const job = queue.take();
      if (!job) break;
      pacer.spend();
      const sending: Promise<void> = send(run, queue, job).finally(() => running.delete(sending));
      running.add(sending);
    }
    if (queue.empty() && running.size === 0 && faultsDone()) break;
    await sleep(20);
  }
  await Promise.all(running);
}

/** A token bucket: `rate` a second, plus `burstSize` every `burstEverySeconds`. */
function createPacer(options: SoakOptions) {
  let allowance = 0;
  let lastTick = Date.now();
  let lastBurst = Date.now();
  return {
    tick(now: number) {
      const earned = ((now - lastTick) / 1000) * options.rate;
      allowance = Math.min(allowance + earned, options.rate + options.burstSize);
      lastTick = now;
      if (options.burstEverySeconds > 0 && now - lastBurst >= options.burstEverySeconds * 1000) {
        allowance += options.burstSize;
        lastBurst = now;
      }
    },
    ready: () => allowance >= 1,
    spend: () => {
      allowance--;
    },
  };
}

function logProgress(run: SoakRun, queue: SendQueue): void {
  const { figures } = run;
  const expected = figures.deliveries.valid + figures.deliveries.poison;
  run.log(
    `  sent ${figures.sent}, accepted ${figures.accepted.events}/${expected} events, ${queue.later.length} to resend, ${run.faultLog.join("; ")}`,
  );
}

/** One request: signed now (stale ones ten minutes ago, forged ones with the wrong secret). */
async function send(run: SoakRun, queue: SendQueue, job: Job): Promise<void> {
  const d = job.delivery;
  countSent(run.figures, job);
  const fixture = job.purpose === "first" || d.fixture.provider === "github" ? d.fixture : slackRetry(d);
  const now = d.kind === "stale" ? Date.now() - 10 * 60_000 : Date.now();
  const secrets = d.kind === "forged" ? { github: "not-the-secret", slack: "not-the-secret" } : SOAK_SECRETS;
  const { status, body } = await post(run.runtime.url, signFixture(fixture, secrets, now));
  if (d.kind === "forged" || d.kind === "stale") recordBadAnswer(run, queue, d, status, body);
  else recordValidAnswer(run, queue, job, status, body);
}

function countSent(figures: SoakFigures, job: Job): void {
  figures.sent++;
  if (job.purpose === "duplicate") {
    if (job.delivery.fixture.provider === "github") figures.resends.redeliveries++;
    else figures.resends.slackRetries++;
  } else if (job.purpose === "retry") figures.resends.afterFailure++;
}

/** The answer's status and body; status 0 and the error code when there was no answer. */
async function post(
  url: string,
  request: ReturnType<typeof signFixture>,
): Promise<{ status: number; body: string }> {
  try {
    const response = await fetch(new URL(request.path, url), {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(15_000),
    });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return {
      status: 0,
      body: String((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name),
    };
  }
}

/** A forged or stale delivery must be answered 401; a 5xx or no answer is resent later. */
function recordBadAnswer(run: SoakRun, queue: SendQueue, d: Delivery, status: number, body: string) {
  const { figures } = run;
  if (status === 401) {
    d.answered401 = true;
    const reason = errorOf(body) ?? "401";
    figures.rejected[reason] = (figures.rejected[reason] ?? 0) + 1;
  } else if (isAccepted(status) || (status >= 400 && status < 500)) {
    figures.unexpectedAnswers++;
    run.problems.push(`${d.kind} delivery ${d.id} answered ${status} ${body.slice(0, 100)}`);
  } else {
    countNotAccepted(figures, status, body);
    queue.later.push({ delivery: d, purpose: "retry", notBefore: Date.now() + 1000 });
  }
}

/** A valid or poison delivery must be accepted; some accepted ones are sent again (duplicates). */
function recordValidAnswer(run: SoakRun, queue: SendQueue, job: Job, status: number, body: string) {
  const { figures } = run;
  const d = job.delivery;
  if (isAccepted(status)) {
    figures.accepted.responses++;
    if (d.accepted) return;
    d.accepted = true;
    figures.accepted.events++;
    if (job.purpose !== "retry" && Math.random() < run.options.duplicateShare)
      queue.later.push({
        delivery: d,
        purpose: "duplicate",
        notBefore: Date.now() + 200 + Math.random() * 3000,
      });
  } else if (status >= 400 && status < 500) {
    figures.unexpectedAnswers++;
    run.problems.push(`${d.kind} delivery ${d.id} answered ${status} ${body.slice(0, 100)}`);
  } else {
    countNotAccepted(figures, status, body);
    // GitHub and Slack send again later; so does the soak.
    if (!d.accepted) queue.later.push({ delivery: d, purpose: "retry", notBefore: Date.now() + 1000 });
  }
}

const isAccepted = (status: number) => status >= 200 && status < 300;

function countNotAccepted(figures: SoakFigures, status: number, body: string): void {
  const key = status === 0 ? `no answer (${body})` : `${status}${errorOf(body) ? ` ${errorOf(body)}` : ""}`;
  figures.notAccepted[key] = (figures.notAccepted[key] ?? 0) + 1;
}

function errorOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    return typeof parsed.error === "string" ? parsed.error : undefined;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
