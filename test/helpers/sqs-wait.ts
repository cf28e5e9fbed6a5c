/**
 * Waiting on asynchronous consumers without fixed sleeps where a condition can be observed,
 * and a deliberate quiet period where the claim is that nothing more happens.
 */

/** Resolves once `condition` holds (polled every `intervalMs`); fails with `what` after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const deadline = performance.now() + (options.timeoutMs ?? 15_000);
  for (;;) {
    if (await condition()) return;
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 25));
  }
}

/** Lets `ms` pass, e.g. beyond a visibility timeout, before asserting that nothing else happened. */
export function quietPeriod(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
