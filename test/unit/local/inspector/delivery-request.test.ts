import {
  deliveryFixture,
  NotReplayableError,
  typeName,
} from "../../../../src/local/inspector/delivery-request";
import type { RequestEntry } from "../../../../src/local/inspector/journal";

function entry(overrides: Partial<RequestEntry> & Pick<RequestEntry, "request">): RequestEntry {
  return {
    seq: 1,
    receivedAt: 0,
    decidedAt: 0,
    state: "accepted",
    status: 200,
    provider: "slack",
    ...overrides,
  };
}

test("a captured request becomes an unsigned fixture: signature, transport and cookie headers dropped", () => {
  const fixture = deliveryFixture(
    "github:abc",
    entry({
      provider: "github",
      status: 202,
      eventId: "github:abc",
      attributes: {
        id: "github:abc",
        type: "com.github.push",
        source: "https://github.com/o/r",
      } as RequestEntry["attributes"],
      request: {
        method: "POST",
        path: "/github",
        headers: {
          host: "127.0.0.1:3000",
          "content-length": "2",
          "content-type": "application/json",
          "x-github-event": "push",
          "x-hub-signature-256": "sha256=00",
          cookie: "a=b",
        },
        body: "{}",
        bodyEncoding: "utf8",
      },
    }),
  );

  expect(fixture).toEqual({
    name: "github/push",
    provider: "github",
    request: {
      path: "/github",
      headers: { "content-type": "application/json", "x-github-event": "push" },
      body: "{}",
    },
    expect: {
      status: 202,
      event: { id: "github:abc", type: "com.github.push", source: "https://github.com/o/r" },
    },
  });
});

test("Slack's verification token is blanked in JSON and form bodies", () => {
  const json = deliveryFixture(
    "slack:Ev1",
    entry({
      request: {
        method: "POST",
        path: "/slack",
        headers: { "content-type": "application/json" },
        body: '{"token":"real-token","event_id":"Ev1"}',
        bodyEncoding: "utf8",
      },
    }),
  );
  const form = deliveryFixture(
    "slack:hash",
    entry({
      request: {
        method: "POST",
        path: "/slack",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "token=real-token&command=%2Fdeploy",
        bodyEncoding: "utf8",
      },
    }),
  );

  expect(json.request.body).toBe('{"token":"XXYYZZ","event_id":"Ev1"}');
  expect(form.request.body).toBe("token=XXYYZZ&command=%2Fdeploy");
});

test("without the request, a GitHub event is rebuilt from the archive; a Slack one cannot be", () => {
  const archived = {
    id: "github:d-1",
    type: "com.github.issues.opened",
    source: "https://github.com/o/r",
    time: "t",
    receivedat: "t",
    day: "d",
    event: {
      id: "github:d-1",
      type: "com.github.issues.opened",
      source: "https://github.com/o/r",
      data: { action: "opened" },
    },
  } as never;

  const fixture = deliveryFixture("github:d-1", undefined, archived);

  expect(fixture.request.headers).toEqual(
    expect.objectContaining({ "x-github-event": "issues", "x-github-delivery": "d-1" }),
  );
  expect(fixture.request.body).toBe('{"action":"opened"}');
  expect(() => deliveryFixture("slack:Ev1", undefined, undefined)).toThrow(NotReplayableError);
});

test("a fixture's file name is its type without the provider's prefix", () => {
  expect(typeName("com.github.pull_request.opened", "github")).toBe("pull_request.opened");
  expect(typeName("com.slack.event.app_mention", "slack")).toBe("event.app_mention");
});
