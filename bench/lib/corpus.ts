/**
 * The request corpora the benchmarks replay: the 329 GitHub example payloads and the Slack fixtures,
 * signed once outside any timed loop. Each item carries the body both as bytes (what the edge gets)
 * and as a string (what `@octokit/webhooks` and Bolt's Lambda receiver take).
 */
import { join, resolve } from "node:path";
import { exampleFixtures } from "../../src/fixtures/examples";
import type { Fixture } from "../../src/fixtures/fixture";
import { loadFixtures } from "../../src/fixtures/load";
import { signFixture } from "../../src/fixtures/sign";
import { median } from "./stats";

export const ROOT = resolve(__dirname, "..", "..");
export const GITHUB_SECRET = "bench-github-secret";
export const SLACK_SECRET = "bench-slack-signing-secret";

export interface BenchRequest {
  name: string;
  provider: "github" | "slack";
  method: string;
  path: string;
  /** Lower-case header names, signature headers included. */
  headers: Record<string, string>;
  body: Buffer;
  text: string;
  /** What the edge must answer (from the fixture). */
  status: number;
}

function toRequest(fixture: Fixture, nowMs: number): BenchRequest {
  const signed = signFixture(fixture, { github: GITHUB_SECRET, slack: SLACK_SECRET }, nowMs);
  return {
    name: fixture.name,
    provider: fixture.provider,
    method: signed.method,
    path: signed.path,
    headers: signed.headers,
    body: signed.body,
    text: signed.body.toString("utf8"),
    status: fixture.expect.status,
  };
}

/**
 * The 329 payloads of `@octokit/webhooks-examples`, signed with {@link GITHUB_SECRET}.
 *
 * @example
 * githubCorpus().length // 329
 */
export function githubCorpus(): BenchRequest[] {
  return exampleFixtures().map((fixture) => toRequest(fixture, Date.now()));
}

/** The Slack fixtures that are signed and expect success (every file in fixtures/slack today). */
export function slackFixtures(): Fixture[] {
  return loadFixtures([join(ROOT, "fixtures", "slack")]).filter(
    (fixture) => fixture.sign !== false && fixture.expect.status < 300,
  );
}

/**
 * Signs the Slack fixtures with a timestamp of `nowMs`. Called before each round, outside the
 * timed loop, so that Bolt (which reads the real clock) and the edge both see fresh timestamps.
 *
 * @example
 * const slack = signSlack(slackFixtures(), Date.now());
 */
export function signSlack(fixtures: readonly Fixture[], nowMs: number): BenchRequest[] {
  return fixtures.map((fixture) => toRequest(fixture, nowMs));
}

/** Median body size in bytes. */
export function medianBodyBytes(corpus: readonly BenchRequest[]): number {
  return median(corpus.map((request) => request.body.length));
}
