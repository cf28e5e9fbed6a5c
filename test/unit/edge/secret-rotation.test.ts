/**
 * A webhook secret rotated while an edge instance was idle: the store already holds the new
 * secret, the instance's cached list is stale, and the provider signs with the new secret. The
 * first delivery must be accepted (the gateway re-reads a stale list once when a signature
 * fails), and a forged delivery must cost no re-read while the list is fresh.
 */
import { createIngestApp, createIngestClients } from "../../../src/edge/app";
import { readIngestLimits } from "../../../src/edge/config";
import type { OutboundMessage } from "../../../src/edge/ports";
import { signGitHub } from "../../../src/edge/signatures/github";
import { startSecretsManagerFake } from "../../helpers/secrets-manager-fake";

const STAR = Buffer.from(JSON.stringify({ zen: "x", hook_id: 1, repository: { full_name: "o/r" } }));

/** A GitHub `star` delivery signed with `secret`, as the gateway core takes a request. */
function starDelivery(secret: string, id: string) {
  return {
    method: "POST",
    path: "/github",
    headers: {
      "content-type": "application/json",
      "x-github-event": "star",
      "x-github-delivery": id,
      "x-hub-signature-256": signGitHub(secret, STAR),
    },
    body: STAR,
  };
}

test("the first delivery signed with a secret rotated during idle time is accepted", async () => {
  let clock = 0;
  let stored = ["old-secret"];
  let reads = 0;
  const queued: OutboundMessage[] = [];
  const gateway = createIngestApp(
    {
      ...readIngestLimits({}),
      secretsTtlMs: 1000,
      routes: [{ name: "archive", queueUrl: "https://sqs.example/archive" }],
      secrets: {
        github: {
          from: "loader",
          load: () => {
            reads++;
            return stored;
          },
        },
      },
      claimCheckBucket: undefined,
    },
    { sqs: {} as never },
    { now: () => clock, queue: { send: async (message) => void queued.push(message) } },
  );
  const deliver = (secret: string, id: string) => gateway(starDelivery(secret, id));

  expect((await deliver("old-secret", "d-1")).response.statusCode).toBe(202);
  expect((await deliver("forged", "d-2")).response.statusCode).toBe(401);
  expect(reads).toBe(1); // a forged delivery against a fresh list re-reads nothing

  stored = ["new-secret", "old-secret"]; // rotation: both stored, then the provider switches
  clock = 5000; // the instance was idle for longer than the TTL
  expect((await deliver("new-secret", "d-3")).response.statusCode).toBe(202);
  expect(reads).toBe(2);
  expect(queued.map((m) => JSON.parse(m.body).id)).toEqual(["github:d-1", "github:d-3"]);
});

test("the same holds for a secret in Secrets Manager, read with the SQS client's signed calls", async () => {
  const fake = await startSecretsManagerFake();
  const saved = process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = fake.endpoint;
  let clock = 0;
  const queued: OutboundMessage[] = [];
  const config = {
    ...readIngestLimits({}),
    secretsTtlMs: 1000,
    routes: [{ name: "archive", queueUrl: "https://sqs.example/archive" }],
    secrets: { github: { from: "secrets-manager" as const, secretId: "gw/github-webhook-secret" } },
    claimCheckBucket: undefined,
  };
  const clients = createIngestClients(config, {
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDROTATION", secretAccessKey: "rotation-test-key" },
  });
  try {
    expect(clients.readSecret).toBeDefined();
    fake.create("gw/github-webhook-secret", '["old-secret"]');
    const gateway = createIngestApp(config, clients, {
      now: () => clock,
      queue: { send: async (message) => void queued.push(message) },
    });
    const deliver = (secret: string, id: string) => gateway(starDelivery(secret, id));

    expect((await deliver("old-secret", "d-1")).response.statusCode).toBe(202);
    expect((await deliver("forged", "d-2")).response.statusCode).toBe(401);
    expect(fake.calls).toHaveLength(1);

    fake.create("gw/github-webhook-secret", '["new-secret","old-secret"]');
    clock = 5000;
    expect((await deliver("new-secret", "d-3")).response.statusCode).toBe(202);
    expect(fake.calls.map((c) => [c.operation, c.input.SecretId])).toEqual([
      ["GetSecretValue", "gw/github-webhook-secret"],
      ["GetSecretValue", "gw/github-webhook-secret"],
    ]);
    expect(queued.map((m) => JSON.parse(m.body).id)).toEqual(["github:d-1", "github:d-3"]);
  } finally {
    clients.sqs.destroy();
    await fake.stop();
    if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
    else process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = saved;
  }
});
