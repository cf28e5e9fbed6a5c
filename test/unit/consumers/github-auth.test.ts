import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { Octokit } from "@octokit/rest";
import type { EmitterWebhookEvent } from "@octokit/webhooks";
import {
  configuredGitHubCredentials,
  createGitHubWebhooks,
  createOctokitFactory,
  GitHubAuthError,
  normalizePrivateKey,
  parseGitHubCredentials,
} from "../../../src/consumers/github-auth";
import { ConfigError } from "../../../src/shared/errors";
import { githubExample } from "../../helpers/factories";

const PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----";

/** A Secrets Manager client whose GetSecretValue answers from `answers`, in order (an Error is thrown). */
function secretsClient(...answers: (string | Error)[]) {
  const send = jest.fn(async () => {
    const answer = answers.shift();
    if (answer instanceof Error) throw answer;
    return { SecretString: answer };
  });
  return { client: { send } as unknown as SecretsManagerClient, send };
}

function caught(use: () => unknown): GitHubAuthError {
  try {
    use();
  } catch (error) {
    return error as GitHubAuthError;
  }
  throw new Error("did not throw");
}

describe("parseGitHubCredentials", () => {
  test.each([
    [
      JSON.stringify({ appId: 123, privateKey: PEM.replace(/\n/g, "\\n") }),
      { appId: "123", privateKey: PEM },
    ],
    [JSON.stringify({ app_id: "123", private_key: PEM }), { appId: "123", privateKey: PEM }],
    [JSON.stringify({ token: "ghs_x" }), { token: "ghs_x" }],
    ["  ghp_plain\n", { token: "ghp_plain" }],
  ])("reads %s", (value, expected) => {
    expect(parseGitHubCredentials(value)).toEqual(expected);
  });

  test.each(["", "{not json", JSON.stringify({ appId: 1 }), JSON.stringify({ privateKey: PEM })])(
    "refuses %j, naming GITHUB_APP_SECRET_ID",
    (value) => {
      expect(() => parseGitHubCredentials(value)).toThrow(ConfigError);
      expect(() => parseGitHubCredentials(value)).toThrow(
        expect.objectContaining({ variable: "GITHUB_APP_SECRET_ID" }),
      );
    },
  );
});

test("normalizePrivateKey restores escaped line breaks", () => {
  expect(normalizePrivateKey(`${PEM.replace(/\n/g, "\\n")}\\n`)).toBe(PEM);
  expect(normalizePrivateKey(PEM)).toBe(PEM);
});

describe("configuredGitHubCredentials", () => {
  test("an App inline wins over a token; a token alone is used; nothing gives undefined", async () => {
    const app = configuredGitHubCredentials({
      githubAppId: "7",
      githubAppPrivateKey: PEM,
      githubToken: "ghp",
    });
    expect(await app?.()).toEqual({ appId: "7", privateKey: PEM });
    expect(await configuredGitHubCredentials({ githubToken: "ghp" })?.()).toEqual({ token: "ghp" });
    expect(configuredGitHubCredentials({})).toBeUndefined();
  });

  test("the secret is read once; a failed read is not kept", async () => {
    const { client, send } = secretsClient(
      new Error("throttled"),
      JSON.stringify({ appId: 7, privateKey: PEM }),
    );
    const credentials = configuredGitHubCredentials({ githubAppSecretId: "gateway/github-app" }, client)!;

    await expect(credentials()).rejects.toThrow("throttled");
    expect(await credentials()).toEqual({ appId: "7", privateKey: PEM });
    expect(await credentials()).toEqual({ appId: "7", privateKey: PEM });
    expect(send).toHaveBeenCalledTimes(2);
  });
});

describe("createOctokitFactory", () => {
  const event = { payload: githubExample("issues", "opened") } as EmitterWebhookEvent;

  test("unconfigured: the octokit throws github_auth_not_configured on use, not when logged", async () => {
    const octokit = await createOctokitFactory({})(event);

    expect(JSON.stringify({ octokit })).toBe('{"octokit":{}}');
    const error = caught(() => octokit.rest);
    expect(error).toBeInstanceOf(GitHubAuthError);
    expect(error.code).toBe("github_auth_not_configured");
    expect(error.message).toBe(
      "GitHub listeners have no credentials: set GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY (a GitHub App), or GITHUB_TOKEN; " +
        'deployed, put {"appId": …, "privateKey": …} in the secret GITHUB_APP_SECRET_ID names',
    );
    expect(caught(() => octokit.request).code).toBe("github_auth_not_configured");
  });

  test("credentials that cannot be read: github_credentials_unavailable, with the cause; the next event tries again", async () => {
    const { client } = secretsClient(new Error("AccessDenied"), JSON.stringify({ token: "ghs_ok" }));
    const octokitFor = createOctokitFactory({
      credentials: configuredGitHubCredentials({ githubAppSecretId: "s" }, client),
    });

    const failed = await octokitFor(event);
    const refusal = caught(() => failed.rest);
    expect(refusal.code).toBe("github_credentials_unavailable");
    expect((refusal.cause as Error).message).toBe("AccessDenied");
    const recovered = await octokitFor(event);
    expect(typeof recovered.rest.issues.addLabels).toBe("function");
  });

  test("with a token, every event gets the same Octokit", async () => {
    const octokitFor = createOctokitFactory({
      credentials: configuredGitHubCredentials({ githubToken: "ghp" }),
    });
    expect(await octokitFor(event)).toBe(await octokitFor(event));
  });
});

test("createGitHubWebhooks makes one octokit per event, however many handlers match", async () => {
  const octokit = { marker: true } as unknown as Octokit;
  const octokitFor = jest.fn(async () => octokit);
  const webhooks = createGitHubWebhooks(octokitFor);
  const seen: unknown[] = [];
  webhooks.on("issues.opened", ({ octokit }) => {
    seen.push(octokit);
  });
  webhooks.on("issues", ({ id, octokit }) => {
    seen.push(id, octokit);
  });

  await webhooks.receive({
    id: "d-1",
    name: "issues",
    payload: githubExample("issues", "opened"),
  } as EmitterWebhookEvent);

  expect(seen).toEqual([octokit, "d-1", octokit]);
  expect(octokitFor).toHaveBeenCalledTimes(1);
});
