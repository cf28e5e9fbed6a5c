/**
 * The workload `bench/profile.ts` profiles: one contender over one corpus for a few seconds. The
 * V8 CPU profiler (the one behind `node --cpu-prof`) is started through `node:inspector` after
 * loading and a warm-up, so module loading and compilation stay out of the profile.
 *
 * Usage: `tsx bench/profile-target.ts <edge|floor> <github|slack> <seconds> <out.cpuprofile>`
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { edge, floor } from "./lib/contenders";
import { githubCorpus, signSlack, slackFixtures } from "./lib/corpus";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

function post<T = unknown>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => {
    session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T)));
  });
}

async function main(): Promise<void> {
  const [which = "edge", corpusName = "github", seconds = "4", out = "profile.cpuprofile"] =
    process.argv.slice(2);
  const corpus = corpusName === "slack" ? signSlack(slackFixtures(), Date.now()) : githubCorpus();
  const prepared = (which === "floor" ? floor() : edge()).prepare(corpus);
  const warm = Date.now() + 1000;
  while (Date.now() < warm) await prepared.run();

  const session = new Session();
  session.connect();
  await post(session, "Profiler.enable");
  await post(session, "Profiler.setSamplingInterval", { interval: 100 });
  await post(session, "Profiler.start");
  const until = Date.now() + Number(seconds) * 1000;
  let passes = 0;
  while (Date.now() < until) {
    await prepared.run();
    passes += 1;
  }
  const { profile } = await post<{ profile: unknown }>(session, "Profiler.stop");
  session.disconnect();
  writeFileSync(out, JSON.stringify(profile));
  console.log(`${which} over ${corpusName}: ${passes} passes of ${corpus.length} events`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
