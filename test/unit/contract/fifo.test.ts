import { createHash } from "node:crypto";
import { eventGroupKey, fifoMessageIds, fifoToken } from "../../../src/contract/fifo";
import type { GatewayRequest } from "../../../src/edge/http";
import { receiveGitHub } from "../../../src/edge/providers/github";
import { receiveSlack } from "../../../src/edge/providers/slack";
import { signGitHub } from "../../../src/edge/signatures/github";
import { signSlack } from "../../../src/edge/signatures/slack";
import { githubEvent, githubExample } from "../../helpers/factories";

const SECRET = "test-secret";
const NOW = Date.parse("2026-01-01T00:00:00Z");
const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

describe("fifoToken", () => {
  it("keeps a value of 1-128 printable ASCII characters", () => {
    expect(fifoToken("octo/hello")).toBe("octo/hello");
    expect(fifoToken("x".repeat(128))).toBe("x".repeat(128));
  });

  it.each(["équipe", "a b", "x".repeat(129), ""])("hashes %j", (value) => {
    expect(fifoToken(value)).toBe(sha256(value));
  });
});

test("fifoMessageIds groups on the group key and deduplicates on the event id", () => {
  expect(fifoMessageIds("octo/hello", "github:d1")).toEqual({
    groupId: "octo/hello",
    deduplicationId: "github:d1",
  });
  expect(fifoMessageIds("équipe", "github:d1").groupId).toBe(sha256("équipe"));
});

describe("eventGroupKey", () => {
  it("groups a GitHub event by repository, not by its source URI", () => {
    const event = githubEvent({ name: "push", payload: githubExample("push") });

    expect(eventGroupKey(event)).toBe("Codertocat/Hello-World");
    expect(event.source).toBe("https://github.com/Codertocat/Hello-World");
  });

  it("reads the group of an archived event without its payload from its source", () => {
    const { data: _data, ...repo } = githubEvent({
      name: "push",
      payload: { repository: { full_name: "ö/r" } },
    });
    const { data: _d, ...installation } = githubEvent({ name: "x", payload: { installation: { id: 42 } } });
    const { data: _e, ...enterprise } = githubEvent({ name: "x", payload: { enterprise: { slug: "acme" } } });
    const { data: _f, ...none } = githubEvent({ name: "x", payload: {} });

    expect([repo, installation, enterprise, none].map(eventGroupKey)).toEqual([
      "ö/r",
      "installation-42",
      "acme",
      "github",
    ]);
  });

  // The edge's own providers are the reference: the rule for stored events must give their group.
  it.each([
    [
      "an Events API callback in a channel",
      json({
        type: "event_callback",
        team_id: "T1",
        event_id: "Ev1",
        event: { type: "message", channel: "C123" },
      }),
    ],
    [
      "a reaction on an item in a channel",
      json({
        type: "event_callback",
        team_id: "T1",
        event_id: "Ev2",
        event: { type: "reaction_added", item: { channel: "C9" } },
      }),
    ],
    [
      "an Events API callback without channel",
      json({ type: "event_callback", enterprise_id: "E1", event_id: "Ev3", event: { type: "team_join" } }),
    ],
    ["a slash command", form({ command: "/deploy", channel_id: "C777", team_id: "T1", text: "now" })],
    [
      "a view submission",
      form({ payload: JSON.stringify({ type: "view_submission", team: { id: "T9" }, view: { id: "V1" } }) }),
    ],
    [
      "a block action in a channel",
      form({ payload: JSON.stringify({ type: "block_actions", channel: { id: "C5" }, team: { id: "T9" } }) }),
    ],
    [
      "a request with no channel and no team",
      json({ type: "event_callback", event_id: "Ev4", event: { type: "app_uninstalled" } }),
    ],
  ])("groups %s as the Slack edge does", (_case, request) => {
    const received = receiveSlack(request, { secrets: [SECRET], maxDepth: 64, now: NOW });
    if (received.kind !== "event") throw new Error(`not an event: ${received.kind}`);
    const stored = { ...received.event.attributes, data: JSON.parse(received.event.dataJson) };

    expect(eventGroupKey(stored)).toBe(received.event.groupKey);
  });

  it("groups GitHub events as the GitHub edge does", () => {
    for (const payload of [
      githubExample("push"),
      githubExample("installation", "created"),
      { sender: { login: "mona" } },
    ]) {
      const body = Buffer.from(JSON.stringify(payload));
      const received = receiveGitHub(
        {
          method: "POST",
          path: "/github",
          headers: {
            "content-type": "application/json",
            "x-github-event": "push",
            "x-github-delivery": "d1",
            "x-hub-signature-256": signGitHub(SECRET, body),
          },
          body,
        },
        { secrets: [SECRET], maxDepth: 64, now: NOW },
      );
      if (received.kind !== "event") throw new Error("not an event");
      const stored = { ...received.event.attributes, data: JSON.parse(received.event.dataJson) };

      expect(eventGroupKey(stored)).toBe(received.event.groupKey);
    }
  });
});

function slackRequest(contentType: string, text: string): GatewayRequest {
  const body = Buffer.from(text);
  const timestamp = Math.floor(NOW / 1000);
  return {
    method: "POST",
    path: "/slack",
    headers: {
      "content-type": contentType,
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": signSlack(SECRET, timestamp, body),
    },
    body,
  };
}

function json(value: unknown): GatewayRequest {
  return slackRequest("application/json", JSON.stringify(value));
}

function form(fields: Record<string, string>): GatewayRequest {
  return slackRequest("application/x-www-form-urlencoded", new URLSearchParams(fields).toString());
}
