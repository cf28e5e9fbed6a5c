import type { GitHubClient } from "./github-target";
import { type DeliveryTarget, deliveriesPath, type HookDelivery } from "./github-target";

/** What to do with the deliveries of one window, decided without I/O. */
export interface RedeliveryPlan {
  /** The latest failed attempt of every delivery (guid) whose attempts all failed. */
  redeliver: HookDelivery[];
  /** Guids with a failed attempt and a later success: nothing to do. */
  recovered: string[];
  /** Guids that failed `maxAttempts` times or more: given up. */
  exhausted: string[];
  /** Distinct guids in the window. */
  guids: number;
}

const ok = (d: HookDelivery) => d.status_code >= 200 && d.status_code < 300;
const newestFirst = (a: HookDelivery, b: HookDelivery) =>
  Date.parse(b.delivered_at) - Date.parse(a.delivered_at) || b.id - a.id;

/**
 * Groups attempts by `guid` (a redelivery keeps it) and picks, for every guid whose attempts all
 * failed, its latest attempt: the one to redeliver. A guid that succeeded at least once is skipped.
 *
 * @example
 * planRedeliveries([{ id: 1, guid: "a", status_code: 500, … }, { id: 2, guid: "a", status_code: 202, … }])
 * // { redeliver: [], recovered: ["a"], exhausted: [], guids: 1 }
 */
export function planRedeliveries(
  deliveries: HookDelivery[],
  options: { maxAttempts?: number } = {},
): RedeliveryPlan {
  const maxAttempts = options.maxAttempts ?? 3;
  const byGuid = new Map<string, HookDelivery[]>();
  for (const delivery of deliveries) {
    const attempts = byGuid.get(delivery.guid) ?? [];
    attempts.push(delivery);
    byGuid.set(delivery.guid, attempts);
  }
  const plan: RedeliveryPlan = { redeliver: [], recovered: [], exhausted: [], guids: byGuid.size };
  for (const [guid, attempts] of byGuid) {
    if (attempts.some(ok)) {
      if (attempts.some((a) => !ok(a))) plan.recovered.push(guid);
      continue;
    }
    if (attempts.length >= maxAttempts) plan.exhausted.push(guid);
    else plan.redeliver.push([...attempts].sort(newestFirst)[0]!);
  }
  plan.redeliver.sort(newestFirst);
  return plan;
}

/**
 * Lists a hook's deliveries from `since` to now, newest first, following the cursor pagination and
 * stopping at the first page that reaches past `since`.
 *
 * @example
 * await listDeliveriesSince(octokit, { kind: "app" }, Date.now() - 86_400_000)
 */
export async function listDeliveriesSince(
  github: GitHubClient,
  target: DeliveryTarget,
  since: number,
): Promise<HookDelivery[]> {
  const deliveries: HookDelivery[] = [];
  for await (const page of github.paginate.iterator(`GET ${deliveriesPath(target)}`, { per_page: 100 })) {
    const items = page.data as HookDelivery[];
    let older = false;
    for (const delivery of items) {
      if (Date.parse(delivery.delivered_at) >= since) deliveries.push(delivery);
      else older = true;
    }
    if (older || items.length === 0) break;
  }
  return deliveries;
}

export interface RedeliverOptions {
  target: DeliveryTarget;
  /** Epoch milliseconds: the start of the window. */
  since: number;
  dryRun?: boolean;
  /** A guid with this many failed attempts in the window is not redelivered again (default 3). */
  maxAttempts?: number;
}

export interface RedeliverReport extends RedeliveryPlan {
  /** Attempts examined. */
  examined: number;
  /** Delivery ids whose redelivery GitHub accepted (empty on a dry run). */
  requested: number[];
  failures: { deliveryId: number; guid: string; message: string }[];
}

/**
 * Requests one redelivery for every delivery of the window whose attempts all failed. A dry run
 * lists and plans, and requests nothing. The CLI and the scheduled Lambda both run this.
 *
 * @example
 * await redeliverFailed(octokit, { target: { kind: "repo", owner: "o", repo: "r", hookId: 1 }, since })
 * // { requested: [12345], recovered: [], … }
 */
export async function redeliverFailed(
  github: GitHubClient,
  options: RedeliverOptions,
): Promise<RedeliverReport> {
  const deliveries = await listDeliveriesSince(github, options.target, options.since);
  const plan = planRedeliveries(deliveries, { maxAttempts: options.maxAttempts });
  const report: RedeliverReport = { ...plan, examined: deliveries.length, requested: [], failures: [] };
  if (options.dryRun) return report;
  const path = deliveriesPath(options.target);
  for (const delivery of plan.redeliver) {
    try {
      await github.request(`POST ${path}/${delivery.id}/attempts`);
      report.requested.push(delivery.id);
    } catch (error) {
      report.failures.push({
        deliveryId: delivery.id,
        guid: delivery.guid,
        message: (error as Error).message,
      });
    }
  }
  return report;
}
