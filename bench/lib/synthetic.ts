/**
 * Synthetic GitHub-like `push` payloads of an exact size: a repository, a pusher, and as many
 * commits (nested authors, file lists) as fit, the last commit's message padded to the byte.
 */

import { signGitHub } from "../../src/edge/signatures/github";
import { stableUuid } from "../../src/fixtures/examples";
import { type BenchRequest, GITHUB_SECRET } from "./corpus";

function sha(seed: number, i: number): string {
  let hex = "";
  let x = (seed * 2654435761 + i * 40503 + 1) >>> 0;
  while (hex.length < 40) {
    x = (x * 1103515245 + 12345) >>> 0;
    hex += x.toString(16).padStart(8, "0");
  }
  return hex.slice(0, 40);
}

function commit(seed: number, i: number, nonAscii: boolean) {
  const id = sha(seed, i);
  const person = { name: `Dev ${i % 17}`, email: `dev${i % 17}@example.com`, username: `dev${i % 17}` };
  return {
    id,
    distinct: true,
    message: `Fix #${1000 + i}: ${nonAscii ? "édge" : "edge"} case ${i % 23}`,
    timestamp: "2026-11-23T10:00:00+01:00",
    url: `https://github.com/octo-org/hello-world/commit/${id}`,
    author: person,
    committer: person,
    added: [`src/feature-${i}.ts`],
    removed: [],
    modified: [`src/module-${i % 23}.ts`, `test/module-${i % 23}.test.ts`],
  };
}

/**
 * A push payload of exactly `bytes` bytes of UTF-8 JSON (at least about 1 KB). With `nonAscii`,
 * every commit message holds one "é" (as real names and messages often do); without, the payload
 * is pure ASCII.
 *
 * @example
 * Buffer.byteLength(syntheticPush(10 * 1024, 1, false)) // 10240
 */
export function syntheticPush(bytes: number, seed: number, nonAscii: boolean): string {
  const payload = {
    ref: "refs/heads/main",
    before: sha(seed, -1),
    after: sha(seed, -2),
    repository: {
      id: 1296269 + seed,
      name: "hello-world",
      full_name: "octo-org/hello-world",
      private: false,
      owner: { login: "octo-org", id: 6811672, type: "Organization" },
      default_branch: "main",
    },
    pusher: { name: "dev1", email: "dev1@example.com" },
    sender: { login: "dev1", id: 583231, type: "User" },
    created: false,
    deleted: false,
    forced: false,
    commits: [] as ReturnType<typeof commit>[],
  };
  // Size of the JSON grows by each commit's own size plus a comma: no need to re-serialize.
  let size = Buffer.byteLength(JSON.stringify(payload));
  for (let i = 0; ; i++) {
    const next = commit(seed, i, nonAscii);
    const added = Buffer.byteLength(JSON.stringify(next)) + (i > 0 ? 1 : 0);
    if (size + added > bytes) break;
    payload.commits.push(next);
    size += added;
  }
  if (payload.commits.length === 0) payload.commits.push(commit(seed, 0, nonAscii));
  const last = payload.commits[payload.commits.length - 1]!;
  last.message += " ".repeat(Math.max(0, bytes - Buffer.byteLength(JSON.stringify(payload))));
  const text = JSON.stringify(payload);
  if (Buffer.byteLength(text) !== bytes)
    throw new Error(`synthetic payload is ${Buffer.byteLength(text)} B, not ${bytes}`);
  return text;
}

/**
 * Signed `push` deliveries of one size, `count` different payloads.
 *
 * @example
 * const corpus = syntheticCorpus(100 * 1024, 4, false);
 */
export function syntheticCorpus(bytes: number, count: number, nonAscii: boolean): BenchRequest[] {
  return Array.from({ length: count }, (_, seed) => {
    const text = syntheticPush(bytes, seed, nonAscii);
    const body = Buffer.from(text);
    const name = `synthetic/push-${bytes}-${nonAscii ? "utf8" : "ascii"}-${seed}`;
    return {
      name,
      provider: "github" as const,
      method: "POST",
      path: "/github",
      headers: {
        "content-type": "application/json",
        "x-github-event": "push",
        "x-github-delivery": stableUuid(name),
        "x-github-hook-id": "123456789",
        "x-hub-signature-256": signGitHub(GITHUB_SECRET, body),
      },
      body,
      text,
      status: 202,
    };
  });
}
