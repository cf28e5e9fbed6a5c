import type { Fixture } from "../fixtures/fixture";
import { type SigningSecrets, signFixture } from "../fixtures/sign";

export interface ReplayOptions {
  url: string;
  fixtures: readonly Fixture[];
  secrets: SigningSecrets;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Send each delivery this many times (same delivery id: tests idempotency). */
  repeat?: number;
  /** Called after each response (progress). */
  onResult?: (result: ReplayResult, done: number, total: number) => void;
  now?: () => number;
}

export interface ReplayResult {
  fixture: string;
  provider: Fixture["provider"];
  status: number;
  expected: number;
  latencyMs: number;
  /** Body of the answer (the event id for GitHub), or the network error. */
  body: string;
}

export interface ReplaySummary {
  sent: number;
  byStatus: Record<string, number>;
  mismatches: ReplayResult[];
  p50: number;
  p99: number;
  elapsedMs: number;
}

/**
 * Signs and sends fixtures to a gateway (local or deployed), `concurrency` at a time.
 *
 * @example
 * const summary = await replay({ url: "http://127.0.0.1:3000", fixtures, secrets: { github: "…" } });
 * summary.mismatches.length // 0 when every status was the expected one
 */
export async function replay(options: ReplayOptions): Promise<ReplaySummary> {
  const now = options.now ?? Date.now;
  const jobs = options.fixtures.flatMap((fixture) =>
    Array.from({ length: options.repeat ?? 1 }, () => fixture),
  );
  const results: ReplayResult[] = [];
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const fixture = jobs[next++]!;
      const result = await send(options.url, fixture, options.secrets, now());
      results.push(result);
      options.onResult?.(result, results.length, jobs.length);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 8, jobs.length)) }, worker),
  );
  const latencies = results.map((r) => r.latencyMs).sort((a, b) => a - b);
  const byStatus: Record<string, number> = {};
  for (const r of results) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  return {
    sent: results.length,
    byStatus,
    mismatches: results.filter((r) => r.status !== r.expected),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    elapsedMs: performance.now() - started,
  };
}

async function send(
  url: string,
  fixture: Fixture,
  secrets: SigningSecrets,
  nowMs: number,
): Promise<ReplayResult> {
  const request = signFixture(fixture, secrets, nowMs);
  const started = performance.now();
  try {
    const response = await fetch(new URL(request.path, url), {
      method: request.method,
      headers: request.headers,
      body: request.method === "GET" || request.method === "HEAD" ? undefined : request.body,
    });
    const body = await response.text();
    return {
      fixture: fixture.name,
      provider: fixture.provider,
      status: response.status,
      expected: fixture.expect.status,
      latencyMs: performance.now() - started,
      body,
    };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    return {
      fixture: fixture.name,
      provider: fixture.provider,
      status: 0,
      expected: fixture.expect.status,
      latencyMs: performance.now() - started,
      body: String(cause),
    };
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}
