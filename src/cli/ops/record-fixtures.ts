import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ArchivedEvent, ArchiveStore } from "../../consumers/archive-store";
import type { GatewayEvent } from "../../contract/event";
import { type DeliveryTarget, deliveriesPath, type GitHubClient } from "../../redelivery/github-target";
import { CommandError } from "../errors";
import { fixtureOfEvent, fixtureOfGitHubDelivery, type Recording } from "./fixture-of";

/** Which archived events to record: ids, or the newest of a type pattern. */
export interface EventSelection {
  ids: string[];
  type?: string;
  limit: number;
}

/** What happened to one recording. */
export interface RecordedFile {
  file: string;
  /** `kept`: a file already records this delivery (`--force` overwrites it). */
  status: "written" | "overwritten" | "kept";
  recording: Recording;
}

/**
 * Archived events from a running local runtime, through its inspector API (`/_/events`).
 *
 * @example
 * await eventsFromRuntime("http://127.0.0.1:3000", { ids: [], type: "com.github.*", limit: 5 })
 */
export async function eventsFromRuntime(url: string, selection: EventSelection): Promise<GatewayEvent[]> {
  const get = async (path: string): Promise<unknown> => {
    const response = await fetch(new URL(path, url)).catch((error: Error) => {
      throw new CommandError(
        "runtime_unreachable",
        `the local runtime at ${url} does not answer (${error.message}); is npm start running?`,
      );
    });
    if (response.status === 404) return undefined;
    if (!response.ok)
      throw new CommandError("runtime_error", `${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  if (selection.ids.length > 0) {
    return Promise.all(
      selection.ids.map(async (id) => {
        const item = (await get(`/_/events/${encodeURIComponent(id)}`)) as ArchivedEvent | undefined;
        if (!item) throw new CommandError("event_not_found", `no archived event ${id} at ${url}`);
        return item.event;
      }),
    );
  }
  const query = new URLSearchParams({
    limit: String(selection.limit),
    ...(selection.type && { type: selection.type }),
  });
  const { events } = (await get(`/_/events?${query}`)) as { events: ArchivedEvent[] };
  return events.map((item) => item.event);
}

/**
 * Archived events from an archive table (a deployed stage's).
 *
 * @example
 * await eventsFromArchive(new ArchiveStore(ddb, "webhook-gateway-prod-archive"), { ids: ["github:72d3…"], limit: 1 })
 */
export async function eventsFromArchive(
  archive: ArchiveStore,
  selection: EventSelection,
): Promise<GatewayEvent[]> {
  if (selection.ids.length === 0) {
    return (await archive.listEvents({ type: selection.type, limit: selection.limit })).map(
      (item) => item.event,
    );
  }
  return Promise.all(
    selection.ids.map(async (id) => {
      const item = await archive.getEvent(id);
      if (!item) throw new CommandError("event_not_found", `no archived event ${id}`);
      return item.event;
    }),
  );
}

/**
 * One delivery from a hook's delivery log, with the request headers and payload GitHub sent.
 *
 * @see https://docs.github.com/en/rest/repos/webhooks#get-a-delivery-for-a-repository-webhook
 * @example
 * await recordingOfDelivery(octokit, { kind: "app" }, 12345678)
 */
export async function recordingOfDelivery(
  github: GitHubClient,
  target: DeliveryTarget,
  deliveryId: number,
): Promise<Recording> {
  const { data } = await github.request(`GET ${deliveriesPath(target)}/{delivery_id}`, {
    delivery_id: deliveryId,
  });
  return fixtureOfGitHubDelivery(data as Parameters<typeof fixtureOfGitHubDelivery>[0]);
}

/** Recordings of archived events (an event archived without its data cannot be recorded). */
export function recordingsOfEvents(events: readonly GatewayEvent[], origin: string): Recording[] {
  return events.map((event) => fixtureOfEvent(event, origin));
}

/**
 * Writes recordings as `<dir>/<provider>/<name>.json`. A name already used by another delivery
 * gets a suffix (`pull_request.opened.2.json`); a file that already records the same delivery
 * is kept unless `force`.
 *
 * @example
 * writeRecordings(recordings, { dir: "fixtures", force: false }) // [{ file: "fixtures/github/push.json", status: "written", … }]
 */
export function writeRecordings(
  recordings: readonly Recording[],
  options: { dir: string; force: boolean },
): RecordedFile[] {
  const written = new Set<string>();
  return recordings.map((recording) => {
    const folder = join(options.dir, recording.fixture.provider);
    mkdirSync(folder, { recursive: true });
    for (let n = 1; ; n++) {
      const file = join(folder, `${recording.name}${n === 1 ? "" : `.${n}`}.json`);
      if (written.has(file)) continue;
      const exists = existsSync(file);
      const same = exists && sameDelivery(file, recording);
      if (exists && !same) continue;
      if (same && !options.force) return { file, status: "kept", recording };
      writeFileSync(file, `${JSON.stringify(fileContent(recording), null, 2)}\n`);
      written.add(file);
      return { file, status: exists ? "overwritten" : "written", recording };
    }
  });
}

/** The fixture as committed files hold it (the loader derives `name` from the file name). */
function fileContent({ fixture }: Recording) {
  const { name: _name, ...content } = fixture;
  return content;
}

function sameDelivery(file: string, recording: Recording): boolean {
  try {
    const existing = JSON.parse(readFileSync(file, "utf8")) as {
      expect?: { event?: { id?: string } };
      request?: { body?: string };
    };
    const id = recording.fixture.expect.event?.id;
    return id !== undefined
      ? existing.expect?.event?.id === id
      : existing.request?.body === recording.fixture.request.body;
  } catch {
    return false;
  }
}
