/**
 * The `octokit` every GitHub listener receives, end to end: events from a real queue, the shipped
 * consumer, and a fake GitHub that issues installation tokens to a fake App (its key generated
 * here) and records every call with its Authorization header.
 */
import { generateKeyPairSync } from "node:crypto";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { ConsumerLambdaConfig } from "../../../src/consumers/config";
import { GitHubAuthError, type GitHubWebhooks } from "../../../src/consumers/github-auth";
import { shippedGitHubConsumer } from "../../../src/consumers/shipped/github";
import type { RecordOutcome } from "../../../src/consumers/types";
import { githubEvent, githubExample } from "../../helpers/factories";
import { type GithubApiFake, startGithubApiFake } from "../../helpers/github-api-fake";
import {
  fakeSecretsManagerClient,
  type SecretsManagerFake,
  startSecretsManagerFake,
} from "../../helpers/secrets-manager-fake";
import { createQueuePair, sendEvent } from "../../helpers/sqs-queues";
import { waitFor } from "../../helpers/sqs-wait";
import { type Bench, quietObservability, startBench } from "./support/harness";

const APP_ID = "4242";
const INSTALLATION = 987654;
const LABELS_PATH = "/repos/Codertocat/Hello-World/issues/1/labels";

let bench: Bench;
let github: GithubApiFake;
const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
// GitHub hands out PKCS#1 keys; `\n`-escaped, as a .env file holds them.
const PEM = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const ESCAPED_PEM = PEM.trim().replace(/\n/g, "\\n");

beforeAll(async () => {
  bench = await startBench();
});

beforeEach(async () => {
  github = await startGithubApiFake();
});

afterEach(async () => {
  await bench.stopConsumers();
  await github.stop();
});

afterAll(async () => {
  await bench.stop();
});

/** An issues.opened delivery, from the App's installation unless `installation` is null. */
function issueOpened(delivery: string, installation: number | null = INSTALLATION) {
  const payload = githubExample("issues", "opened", (p) => {
    if (installation !== null)
      p.installation = { id: installation, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" };
  });
  return githubEvent({ name: "issues", payload, delivery });
}

/** The listener under test: labels every new issue. */
function labelNewIssues(webhooks: GitHubWebhooks): void {
  webhooks.on("issues.opened", async ({ payload, octokit }) => {
    await octokit.rest.issues.addLabels({
      owner: payload.repository.owner.login,
      repo: payload.repository.name,
      issue_number: payload.issue.number,
      labels: ["triage"],
    });
  });
}

async function runShipped(
  settings: Partial<ConsumerLambdaConfig>,
  listeners: (webhooks: GitHubWebhooks) => void = labelNewIssues,
  secretsManager?: SecretsManagerClient,
) {
  const queue = await createQueuePair(bench.sqs, { maxReceiveCount: 1 });
  const outcomes: RecordOutcome[] = [];
  const config: ConsumerLambdaConfig = {
    idempotencyTable: bench.idempotencyTable,
    idempotencyTtlSeconds: 604_800,
    fifo: false,
    githubApiUrl: github.apiUrl,
    ...settings,
  };
  const consumer = shippedGitHubConsumer(
    { config, ddb: bench.ddb, secretsManager, ...quietObservability(), onOutcome: (o) => outcomes.push(o) },
    listeners,
  );
  await bench.runHandler(consumer.createHandler(), queue, { functionName: "github" });
  return { queue, outcomes };
}

/** The listener's own error a failed outcome carries (the consumer unwraps Octokit's AggregateError). */
function listenerErrors(outcome: RecordOutcome | undefined): GitHubAuthError[] {
  expect(outcome?.status).toBe("failed");
  expect(outcome?.error).toBeInstanceOf(GitHubAuthError);
  return [outcome!.error as GitHubAuthError];
}

const calls = () => github.requests.map((r) => `${r.method} ${r.path} ${r.authorization}`);

test("as a GitHub App: the listener's call carries the installation token the fake App issued, fetched once for two events", async () => {
  github.app = { appId: APP_ID, key: publicKey };
  const { queue, outcomes } = await runShipped({ githubAppId: APP_ID, githubAppPrivateKey: ESCAPED_PEM });

  await sendEvent(bench.sqs, queue.queueUrl, issueOpened("d-1"));
  await waitFor(() => outcomes.length === 1, "the first event");
  await sendEvent(bench.sqs, queue.queueUrl, issueOpened("d-2"));
  await waitFor(() => outcomes.length === 2, "the second event");

  expect(outcomes.map((o) => o.status)).toEqual(["processed", "processed"]);
  expect(github.issuedTokens).toEqual([
    { installationId: INSTALLATION, token: `ghs_fake_${INSTALLATION}_1`, expires_at: expect.any(String) },
  ]);
  const [tokenRequest, ...rest] = github.requests;
  expect(tokenRequest?.method).toBe("POST");
  expect(tokenRequest?.path).toBe(`/app/installations/${INSTALLATION}/access_tokens`);
  expect(github.appJwtClaims(tokenRequest?.authorization)).toEqual(expect.objectContaining({ iss: APP_ID }));
  const token = `token ghs_fake_${INSTALLATION}_1`;
  expect(rest.map((r) => [r.method, r.path, r.authorization, r.body])).toEqual([
    ["POST", LABELS_PATH, token, { labels: ["triage"] }],
    ["POST", LABELS_PATH, token, { labels: ["triage"] }],
  ]);
});

test("as a GitHub App from Secrets Manager (deployed): the secret is read once, the token fetched once", async () => {
  github.app = { appId: APP_ID, key: publicKey };
  const aws: SecretsManagerFake = await startSecretsManagerFake();
  const client = fakeSecretsManagerClient(aws);
  try {
    aws.create("gateway/github-app", JSON.stringify({ appId: Number(APP_ID), privateKey: PEM }));
    const { queue, outcomes } = await runShipped(
      { githubAppSecretId: "gateway/github-app" },
      labelNewIssues,
      client,
    );

    await sendEvent(bench.sqs, queue.queueUrl, issueOpened("s-1"));
    await sendEvent(bench.sqs, queue.queueUrl, issueOpened("s-2"));
    await waitFor(() => outcomes.length === 2, "both events");

    expect(outcomes.map((o) => o.status)).toEqual(["processed", "processed"]);
    expect(aws.calls.map((c) => [c.operation, c.input.SecretId])).toEqual([
      ["GetSecretValue", "gateway/github-app"],
    ]);
    expect(calls()).toEqual([
      `POST /app/installations/${INSTALLATION}/access_tokens ${github.requests[0]?.authorization}`,
      `POST ${LABELS_PATH} token ghs_fake_${INSTALLATION}_1`,
      `POST ${LABELS_PATH} token ghs_fake_${INSTALLATION}_1`,
    ]);
    expect(github.appJwtClaims(github.requests[0]?.authorization)?.iss).toBe(APP_ID);
  } finally {
    client.destroy();
    await aws.stop();
  }
});

test("with a token only: the listener's call carries GITHUB_TOKEN and no App token is requested", async () => {
  const { queue, outcomes } = await runShipped({ githubToken: "ghp_listener" });

  await sendEvent(bench.sqs, queue.queueUrl, issueOpened("t-1"));
  await waitFor(() => outcomes.length === 1, "the event");

  expect(outcomes.map((o) => o.status)).toEqual(["processed"]);
  expect(calls()).toEqual([`POST ${LABELS_PATH} token ghp_listener`]);
});

test("with nothing configured: listeners that do not call GitHub run; octokit throws a GitHubAuthError naming what to set", async () => {
  const logged: string[] = [];
  const { queue, outcomes } = await runShipped({}, (webhooks) => {
    webhooks.on("issues.opened", ({ id }) => {
      logged.push(id);
    });
    labelNewIssues(webhooks);
  });

  await sendEvent(bench.sqs, queue.queueUrl, issueOpened("n-1"));
  await waitFor(() => outcomes.length === 1, "the event");

  expect(logged).toEqual(["n-1"]);
  expect(outcomes[0]?.status).toBe("failed");
  const [error] = listenerErrors(outcomes[0]);
  expect(error).toBeInstanceOf(GitHubAuthError);
  expect(error?.code).toBe("github_auth_not_configured");
  expect(error?.message).toContain("GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY");
  expect(error?.message).toContain("GITHUB_TOKEN");
  expect(github.requests).toEqual([]);
});

test("as a GitHub App, an event from no installation gets an octokit that says so", async () => {
  github.app = { appId: APP_ID, key: publicKey };
  const { queue, outcomes } = await runShipped({ githubAppId: APP_ID, githubAppPrivateKey: PEM });

  await sendEvent(bench.sqs, queue.queueUrl, issueOpened("r-1", null));
  await waitFor(() => outcomes.length === 1, "the event");

  const [error] = listenerErrors(outcomes[0]);
  expect(error?.code).toBe("github_no_installation");
  expect(github.requests).toEqual([]);
});
