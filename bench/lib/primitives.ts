/**
 * Costs of single Node primitives the edge uses on every request, measured side by side in
 * rounds, to explain the breakdown (ns per operation, median over rounds).
 */
import { isUtf8 } from "node:buffer";
import { createHmac } from "node:crypto";
import { median, msSince, rotate } from "./stats";
import { syntheticPush } from "./synthetic";

export interface PrimitiveCost {
  name: string;
  ns: number;
}

/**
 * Measures each primitive `rounds` times, rotating the order.
 *
 * @example
 * primitives(9) // [{ name: "new AbortController().signal", ns: 3500 }, …]
 */
export function primitives(rounds: number, iterations: number): PrimitiveCost[] {
  const ascii = Buffer.from(syntheticPush(100 * 1024, 1, false));
  const asciiText = ascii.toString("utf8");
  // One two-byte character at the start: the rest of the buffer leaves the ASCII fast path.
  const utf8 = Buffer.concat([Buffer.from("é"), ascii.subarray(2)]);
  let sink: unknown;
  const ops: { name: string; scale: number; run: () => void }[] = [
    { name: "new AbortController() + .signal", scale: 1, run: () => (sink = new AbortController().signal) },
    { name: "AbortSignal.timeout(8000)", scale: 0.1, run: () => (sink = AbortSignal.timeout(8000)) },
    {
      name: "setTimeout + clearTimeout",
      scale: 1,
      run: () => clearTimeout(setTimeout(() => undefined, 8000)),
    },
    { name: "new Date(now).toISOString()", scale: 1, run: () => (sink = new Date(Date.now()).toISOString()) },
    { name: "isUtf8, 100 KiB", scale: 0.05, run: () => (sink = isUtf8(ascii)) },
    { name: "toString('utf8'), 100 KiB ASCII", scale: 0.05, run: () => (sink = ascii.toString("utf8")) },
    {
      name: "toString('utf8'), 100 KiB, one non-ASCII char first",
      scale: 0.05,
      run: () => (sink = utf8.toString("utf8")),
    },
    {
      name: "HMAC-SHA256, 100 KiB",
      scale: 0.05,
      run: () => (sink = createHmac("sha256", "secret").update(ascii).digest()),
    },
    { name: "JSON.parse, 100 KiB ASCII", scale: 0.05, run: () => (sink = JSON.parse(asciiText)) },
  ];
  // The envelope attributes as receiveGitHub builds them, with and without `delete attributes.subject`.
  const attributes = () => ({
    specversion: "1.0",
    id: "github:72d3162e-cc78-11e3-81ab-4c9367dc0958",
    source: "https://github.com/octo-org/hello-world",
    type: "com.github.push",
    subject: undefined as string | undefined,
    time: "2026-11-23T10:00:00.000Z",
    datacontenttype: "application/json",
    provider: "github",
    receivedat: "2026-11-23T10:00:00.000Z",
  });
  const deleted: Record<string, unknown> = attributes();
  delete deleted.subject;
  deleted.hookid = "123456789";
  const { subject: _omitted, ...kept } = attributes();
  const fast: Record<string, unknown> = { ...kept, hookid: "123456789" };
  ops.push(
    {
      name: "JSON.stringify(attributes), no delete",
      scale: 1,
      run: () => (sink = JSON.stringify(fast)),
    },
    {
      name: "JSON.stringify(attributes) after delete",
      scale: 1,
      run: () => (sink = JSON.stringify(deleted)),
    },
  );
  const samples: number[][] = ops.map(() => []);
  for (const op of ops) for (let i = 0; i < Math.ceil(iterations * op.scale); i++) op.run();
  for (let round = 0; round < rounds; round++) {
    for (const i of rotate(
      ops.map((_, index) => index),
      round,
    )) {
      const op = ops[i]!;
      const n = Math.max(10, Math.ceil(iterations * op.scale));
      const start = process.hrtime.bigint();
      for (let k = 0; k < n; k++) op.run();
      samples[i]!.push((msSince(start) * 1e6) / n);
    }
  }
  if (sink === Symbol.for("never")) console.log(sink);
  return ops.map((op, i) => ({ name: op.name, ns: median(samples[i]!) }));
}
