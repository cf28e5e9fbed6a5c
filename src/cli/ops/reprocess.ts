import { stableUuid } from "../../fixtures/examples";
import type { Fixture } from "../../fixtures/fixture";

/** The run id moved to the contract (the local inspector uses it too); kept here for the CLI's imports. */
export { reprocessRunId } from "../../contract/event";

const SLACK_EVENT_ID = /("event_id"\s*:\s*")([^"]+)(")/;
const SLACK_TRIGGER_ID = /(trigger_id(?:%22%3A%22|=|"\s*:\s*"))([^"&%]+)/;

/**
 * The fixture with the ids the edge derives the event id from replaced by ids of the run, so
 * consumers that already processed the delivery run it again, and the run's repeats stay
 * duplicates of one another: GitHub's `X-GitHub-Delivery`; a Slack Events API `event_id`; a
 * slash command's or interaction's `trigger_id` (their event id hashes the body).
 *
 * @example
 * freshIds(fixture, "rmbx3k2a9f04c1").request.headers["x-github-delivery"] // "3f2a…" (same for the same run)
 */
export function freshIds(fixture: Fixture, run: string): Fixture {
  const headers = { ...fixture.request.headers };
  let body = fixture.request.body;
  if (fixture.provider === "github") {
    const name = Object.keys(headers).find((h) => h.toLowerCase() === "x-github-delivery");
    if (name) headers[name] = stableUuid(`${run}:${headers[name]}`);
  } else if (fixture.request.bodyEncoding !== "base64") {
    const pattern = SLACK_EVENT_ID.test(body) ? SLACK_EVENT_ID : SLACK_TRIGGER_ID;
    body = body.replace(pattern, (_all, head: string, id: string, tail = "") => `${head}${id}${run}${tail}`);
  }
  return { ...fixture, request: { ...fixture.request, headers, body }, expect: withoutId(fixture.expect) };
}

/** The recorded event id no longer applies to a delivery with fresh ids. */
function withoutId(expect: Fixture["expect"]): Fixture["expect"] {
  if (!expect.event) return expect;
  const { id: _id, ...event } = expect.event;
  return { ...expect, event };
}
