/** The soak's deliveries: fixtures with fresh ids, some poisoned, forged or stale. */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { registerGitHubListeners } from "../listeners/github";
import { compileFilter } from "../src/consumers/filter";
import { listenedGitHubTypes } from "../src/consumers/github";
import { exampleFixtures } from "../src/fixtures/examples";
import type { Fixture } from "../src/fixtures/fixture";
import { loadFixtures } from "../src/fixtures/load";
import type { Delivery, Kind, SoakOptions } from "./types";

/** The secrets the soak's runtime is started with (forged deliveries are signed with others). */
export const SOAK_SECRETS = { github: "soak-github-secret", slack: "soak-slack-secret" };
/** What a poison event's body contains, so that the faults fail it in every attempt. */
export const POISON_MARKER = "SOAK-POISON-7f3a";

/** The deliveries to send: templates with fresh ids, a share poisoned, forged or stale. */
export function plan(options: SoakOptions): Delivery[] {
  // Only events the edge routes to the github consumer (the ones its listeners handle), so every
  // GitHub delivery goes to both consumers and poison reaches the consumer that fails it.
  const routed = compileFilter("github", { types: listenedGitHubTypes(registerGitHubListeners) });
  const github = [
    ...exampleFixtures().filter((f) => f.expect.status === 202),
    ...loadFixtures([join(options.root, "fixtures", "github")]).filter((f) => f.expect.status === 202),
  ].filter((f) => routed({ type: githubType(f), source: "" }));
  const slack = loadFixtures([join(options.root, "fixtures", "slack")]).filter(
    (f) => f.expect.event?.id?.startsWith("slack:Ev") && !f.request.headers["x-slack-retry-num"],
  );
  const small = github.filter(
    (f) => f.request.headers["content-type"] === "application/json" && f.request.body.length < 50_000,
  );
  const out: Delivery[] = [];
  for (let i = 0; i < options.deliveries; i++) {
    const roll = Math.random();
    const kind: Kind =
      roll < options.poisonShare
        ? "poison"
        : roll < options.poisonShare + options.badShare / 2
          ? "forged"
          : roll < options.poisonShare + options.badShare
            ? "stale"
            : "valid";
    // About one in five is a Slack event; stale ones are Slack's (GitHub signs no timestamp).
    const useSlack = kind === "stale" || (kind !== "poison" && Math.random() < 0.2);
    if (useSlack) {
      const template = slack[Math.floor(Math.random() * slack.length)]!;
      const eventId = `Ev${randomUUID().replaceAll("-", "").slice(0, 16).toUpperCase()}`;
      const old = /"event_id":"([^"]+)"/.exec(template.request.body)![1]!;
      const fixture: Fixture = {
        ...template,
        request: {
          ...template.request,
          body: template.request.body.replace(`"event_id":"${old}"`, `"event_id":"${eventId}"`),
        },
      };
      out.push(delivery(`slack:${eventId}`, kind, fixture, ["archive"]));
    } else {
      const template = (kind === "poison" ? small : github)[
        Math.floor(Math.random() * (kind === "poison" ? small : github).length)
      ]!;
      const uuid = randomUUID();
      let body = template.request.body;
      if (kind === "poison")
        body = JSON.stringify({ ...JSON.parse(body), soak_marker: `${POISON_MARKER} ${uuid}` });
      const fixture: Fixture = {
        ...template,
        request: {
          ...template.request,
          headers: { ...template.request.headers, "x-github-delivery": uuid },
          body,
        },
      };
      const d = delivery(`github:${uuid}`, kind, fixture, ["archive", "github"]);
      if (kind === "poison") d.marker = `${POISON_MARKER} ${uuid}`;
      out.push(d);
    }
  }
  return out;
}

function delivery(id: string, kind: Kind, fixture: Fixture, consumers: string[]): Delivery {
  return { id, kind, fixture, consumers, accepted: false, answered401: false, slackRetryNum: 0 };
}

/** Slack's retry of a delivery: same body, `X-Slack-Retry-Num` one higher. */
export function slackRetry(d: Delivery): Fixture {
  d.slackRetryNum++;
  return {
    ...d.fixture,
    request: {
      ...d.fixture.request,
      headers: {
        ...d.fixture.request.headers,
        "x-slack-retry-num": String(d.slackRetryNum),
        "x-slack-retry-reason": "http_timeout",
      },
    },
  };
}

/** The event type a GitHub fixture becomes: `com.github.<event>[.<action>]`. */
function githubType(fixture: Fixture): string {
  const event = fixture.request.headers["x-github-event"];
  let action = "";
  try {
    const payload = JSON.parse(fixture.request.body) as { action?: unknown };
    if (typeof payload.action === "string") action = `.${payload.action}`;
  } catch {
    // A form-encoded body: the type without its action is enough to route it.
  }
  return fixture.expect.event?.type ?? `com.github.${event}${action}`;
}
